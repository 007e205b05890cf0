"""Which edits would break stored answers: those are refused, the rest make a new version."""

import difflib

from app.surveys.definition import SurveyDefinition
from app.surveys.text import localize
from app.surveys.types.choice import ChoiceQuestion
from app.surveys.types.scale import Matrix

SAME_MEANING = 0.6  # a wording fix keeps most of the label; below this it is another meaning


def _labels(question) -> dict[str, str]:
    """choice id → French label, for the ids answers are stored under."""
    if isinstance(question, Matrix):
        return {c.id: localize(c.label, "fr") for c in question.scale}
    if isinstance(question, ChoiceQuestion) and question.type != "yes_no":
        return {c.id: localize(c.label, "fr") for c in question.choices}
    return {}


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= SAME_MEANING


def breaking_changes(
    old: SurveyDefinition, new: SurveyDefinition, answered: set[tuple[str, str | None]]
) -> list[str]:
    """Problems with the edit, given the (question id, choice id) pairs that have answers."""
    problems = []
    questions = {q for q, _c in answered}
    for before in old.questions():
        if before.id not in questions:
            continue
        after = new.question(before.id)
        if after is None:
            problems.append(f"question « {before.id} » has answers: it cannot be removed")
            continue
        if after.type != before.type:
            problems.append(
                f"question « {before.id} » has answers as {before.type}: "
                f"it cannot become {after.type}"
            )
            continue
        old_labels, new_labels = _labels(before), _labels(after)
        if isinstance(before, Matrix):
            gone = {r.id for r in before.rows} - {r.id for r in after.rows}
            problems += [
                f"row « {r} » of « {before.id} » has answers: it cannot be removed"
                for r in sorted(gone)
            ]
        for choice_id, label in old_labels.items():
            if (before.id, choice_id) not in answered:
                continue
            if choice_id not in new_labels:
                problems.append(
                    f"choice « {choice_id} » of « {before.id} » has answers: it cannot be removed"
                )
            elif not _similar(label, new_labels[choice_id]):
                problems.append(
                    f"choice id « {choice_id} » of « {before.id} » would change meaning "
                    f"(« {label} » → « {new_labels[choice_id]} »): give the new answer a new id"
                )
    return problems
