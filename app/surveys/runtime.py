"""Running a definition: what is visible, what is piped, the form of a page and reading it."""

from dataclasses import dataclass, field

from wtforms import Form

from app.surveys import logic
from app.surveys.definition import Page, SurveyDefinition
from app.surveys.types import AnswerError
from app.surveys.types.choice import ChoiceQuestion


@dataclass
class Context:
    lang: str
    answers: dict = field(default_factory=dict)
    piped: dict = field(default_factory=dict)


def condition_holds(text: str | None, answers: dict) -> bool:
    return text is None or logic.evaluate(logic.parse(text), answers)


def question_visible(question, answers: dict) -> bool:
    if not condition_holds(question.show_if, answers):
        return False
    if isinstance(question, ChoiceQuestion) and question.choices_from:
        return bool(question.offered(answers))
    return True


def visible_questions(page: Page, answers: dict) -> list:
    if not condition_holds(page.show_if, answers):
        return []
    shown = [q for q in page.questions if question_visible(q, answers)]
    # A page whose questions are all hidden is skipped, even if a note remains on it.
    if any(q.asks for q in page.questions) and not any(q.asks for q in shown):
        return []
    return shown


def visible_pages(survey: SurveyDefinition, answers: dict) -> list[Page]:
    return [p for p in survey.pages if visible_questions(p, answers)]


def piped(survey: SurveyDefinition, answers: dict, lang: str) -> dict[str, str]:
    return {q.id: q.display(answers, lang) for q in survey.questions() if q.id in answers}


def depends_on_page(question, page: Page) -> bool:
    """Whether the question's visibility or choices follow an answer given on the same page."""
    on_page = {q.id for q in page.questions}
    refs = (
        {r.question for r in logic.references(logic.parse(question.show_if))}
        if question.show_if
        else set()
    )
    source = getattr(question, "choices_from", None)
    return bool((refs | {source}) & on_page)


def shown_questions(page: Page, answers: dict) -> list:
    """The questions a page's form holds: the visible ones, and those that an answer on this
    same page may reveal (their visibility is decided when the page is read)."""
    if not condition_holds(page.show_if, answers):
        return []
    visible = visible_questions(page, answers)
    return [q for q in page.questions if q in visible or depends_on_page(q, page)]


def page_form(survey, page: Page, ctx: Context, formdata=None, base=Form):
    """A WTForms form holding the fields of the page's questions."""
    ctx.piped = piped(survey, ctx.answers, ctx.lang)
    form_class = type("PageForm", (base,), {})
    for question in shown_questions(page, ctx.answers):
        qctx = ctx
        source = getattr(question, "choices_from", None)
        if source and source not in ctx.answers:  # picked on this page: offer every choice
            qctx = Context(
                ctx.lang, ctx.answers | {source: [c.id for c in question.choices]}, ctx.piped
            )
        for name, unbound in question.fields(qctx).items():
            setattr(form_class, name, unbound)
    prefill = {}
    for question in shown_questions(page, ctx.answers):
        prefill |= question.form_data(ctx.answers)
    form = form_class(formdata=formdata, data=prefill if formdata is None else None)
    form.piped = ctx.piped  # the page's own texts (title, notes) pipe the same answers
    return form


def read_page(
    page: Page, formdata, answers: dict, seen: set | None = None
) -> tuple[dict, dict[str, list[str]]]:
    """The page's answers from what was sent (the web form's MultiDict, or anything with get
    and getlist: the API's values), and the problems per question id (nothing is kept from a
    bad page). No form is built: the question types read plain values, so the web and the API
    read answers the same way.
    seen, if given, gathers the ids of the questions the page asked."""
    new, problems = {}, {}
    if not condition_holds(page.show_if, answers):
        return new, problems
    for question in page.questions:
        # Visibility follows the answers given so far, this page's included: a question that a
        # choice on this page reveals and that was not shown yet is asked for (« please answer »).
        so_far = answers | new if new else answers
        if not question_visible(question, so_far):
            continue
        if seen is not None:
            seen.add(question.id)
        try:
            new |= question.read(question.sent(formdata, so_far), so_far)
        except AnswerError as error:
            problems[question.id] = [str(error)]
    return new, problems


def without_hidden(survey: SurveyDefinition, answers: dict) -> dict:
    """Drop answers to questions that an earlier change of answer has hidden."""
    kept: dict = {}
    for page in survey.pages:
        if not condition_holds(page.show_if, kept):
            continue
        for question in page.questions:
            if question_visible(question, kept):
                kept |= {k: answers[k] for k in question.answer_keys() if k in answers}
    return kept
