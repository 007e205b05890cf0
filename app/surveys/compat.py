"""Which edits would break stored answers: those are refused, the rest make a new version.

An answered choice or matrix row keeps its meaning: its label may only change in case, accents,
spaces or punctuation, unless the file says `reworded: true` (the reviewers vouch that the meaning
is the same). « Satisfait » → « Insatisfait » is another meaning: give it a new id.
"""

import re
import unicodedata

from app.surveys.definition import SurveyDefinition
from app.surveys.text import localize
from app.surveys.types.choice import ChoiceQuestion
from app.surveys.types.entry import Number
from app.surveys.types.scale import DONT_KNOW, Matrix, Scale

Answered = set[tuple[str, str | None, str | None]]  # (question, choice, row) with answers


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", "", letters)


def _meaning_changed(before, after) -> bool:
    old, new = localize(before.label, "fr"), localize(after.label, "fr")
    return _plain(old) != _plain(new) and not after.reworded


def _choices(question) -> dict:
    if isinstance(question, Matrix):
        return {c.id: c for c in question.scale}
    if isinstance(question, ChoiceQuestion) and question.type != "yes_no":
        return {c.id: c for c in question.choices}
    return {}


def _question_problems(before, after, answered: Answered) -> list[str]:
    qid = before.id
    if after.type != before.type:
        return [f"question « {qid} » has answers as {before.type}: it cannot become {after.type}"]
    problems = []
    choices_after = _choices(after)
    for choice_id, choice in _choices(before).items():
        if not any(q == qid and c == choice_id for q, c, _r in answered):
            continue
        if choice_id not in choices_after:
            problems.append(
                f"choice « {choice_id} » of « {qid} » has answers: it cannot be removed"
            )
        elif _meaning_changed(choice, choices_after[choice_id]):
            old, new = localize(choice.label, "fr"), localize(choices_after[choice_id].label, "fr")
            problems.append(
                f"choice « {choice_id} » of « {qid} » has answers and its label changed "
                f"(« {old} » → « {new} »): give a new meaning a new id, or mark a mere "
                "rewording with « reworded: true »"
            )
    if isinstance(before, Matrix):
        rows_after = {r.id: r for r in after.rows}
        for row in before.rows:
            if not any(q == qid and r == row.id for q, _c, r in answered):
                continue
            if row.id not in rows_after:
                problems.append(f"row « {row.id} » of « {qid} » has answers: it cannot be removed")
            elif _meaning_changed(row, rows_after[row.id]):
                problems.append(
                    f"row « {row.id} » of « {qid} » has answers and its label changed: give it a "
                    "new id, or mark a mere rewording with « reworded: true »"
                )
    if isinstance(before, Scale):
        if (before.min, before.max) != (after.min, after.max):
            problems.append(f"scale « {qid} » has answers: its range cannot change")
        if before.dont_know and not after.dont_know and (qid, DONT_KNOW, None) in answered:
            problems.append(f"« I don't know » of « {qid} » has answers: it cannot be removed")
    yes_no_dont_know = before.type == "yes_no" and before.dont_know and not after.dont_know
    if yes_no_dont_know and (qid, "dont_know", None) in answered:
        problems.append(f"« I don't know » of « {qid} » has answers: it cannot be removed")
    if isinstance(before, Number) and before.decimal and not after.decimal:
        problems.append(f"number « {qid} » has answers with decimals: it must stay decimal")
    return problems


def breaking_changes(old: SurveyDefinition, new: SurveyDefinition, answered: Answered) -> list[str]:
    """Problems with the edit, given what the responses to `old` answered."""
    problems = []
    questions = {q for q, _c, _r in answered}
    for before in old.questions():
        if before.id not in questions:
            continue
        after = new.question(before.id)
        if after is None:
            problems.append(f"question « {before.id} » has answers: it cannot be removed")
            continue
        problems += _question_problems(before, after, answered)
    return problems
