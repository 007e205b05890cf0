"""Where a person is in a questionnaire: their partial response, its pages, their progress."""

from app.extensions import db
from app.surveys.models import Response
from app.surveys.runtime import visible_pages


def own_response(response_id: int | None, survey_id: int) -> Response | None:
    """The response this browser is answering (or has sent) for this questionnaire."""
    if response_id is None:
        return None
    response = db.session.get(Response, response_id)
    if response is None or response.version.survey_id != survey_id:
        return None
    return response


def progress(definition, answers: dict, page_id: str) -> tuple[int, int]:
    """(the page's number among the pages this person is shown, how many pages the questionnaire
    has). The second is the stable total of the progress bar: it does not follow the answers, so
    that a later answer which shows or hides a page never makes it jump."""
    pages = [p.id for p in visible_pages(definition, answers)]
    position = pages.index(page_id) + 1 if page_id in pages else 1
    return position, len(definition.pages)


def neighbour(definition, answers: dict, page_id: str, step: int) -> str | None:
    """The next (+1) or previous (-1) visible page, given the answers."""
    order = [p.id for p in definition.pages]
    visible = {p.id for p in visible_pages(definition, answers)}
    index = order.index(page_id) + step
    while 0 <= index < len(order):
        if order[index] in visible:
            return order[index]
        index += step
    return None


def first_page(definition, answers: dict) -> str | None:
    pages = visible_pages(definition, answers)
    return pages[0].id if pages else None


def minutes(definition) -> int:
    """About 15 seconds a question, rounded up to whole minutes."""
    asked = sum(1 for q in definition.questions() if q.asks)
    return max(1, -(-asked * 15 // 60))
