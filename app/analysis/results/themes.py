"""Themes of questions: a question's own, or its questionnaire's."""

from flask_babel import get_locale

from app.territory.queries import themes


def theme_names() -> dict[str, str]:
    return {t.slug: t.name(str(get_locale())) for t in themes()}


def question_themes(definition, question) -> list[str]:
    if isinstance(question, str):
        question = definition.question(question)
    return question.themes or definition.themes


def themes_of(definition, names: dict[str, str]) -> dict[str, str]:
    """The themes the questionnaire asks about, in the order of the list of themes."""
    found = {t for q in definition.questions() for t in question_themes(definition, q)}
    return {slug: name for slug, name in names.items() if slug in found}


def on_theme(definition, questions, theme: str | None):
    if theme is None:
        return questions
    return [q for q in questions if theme in question_themes(definition, q.id)]
