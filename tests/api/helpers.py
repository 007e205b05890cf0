"""What the API tests share: the body a kiosk sends for a set of answers."""

from datetime import date


def as_text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def kiosk_body(definition, answers: dict) -> dict:
    """What a kiosk sends for these answers (as the question types' forms hold them)."""
    body = {}
    for question in definition.questions():
        for name, value in question.form_data(answers).items():
            if value not in ("", [], None):
                many = isinstance(value, list)
                body[name] = [as_text(v) for v in value] if many else as_text(value)
    return body
