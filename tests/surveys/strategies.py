"""Hypothesis strategies: valid definitions of every question type, and valid answers to them."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from app.territory.places import Place

ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
words = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("L", "N"), whitelist_characters=" '-?,.éèàç«»"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
label = st.one_of(words, st.fixed_dictionaries({"fr": words}, optional={"nl": words, "en": words}))


@st.composite
def choices(draw, min_size=2, max_size=6, flags=True):
    choice_ids = draw(st.lists(ids, min_size=min_size, max_size=max_size, unique=True))
    out = [{"id": c, "label": draw(label)} for c in choice_ids]
    if flags and draw(st.booleans()):
        out[-1]["other"] = True
    return out


@st.composite
def question(draw, qid: str):
    kind = draw(
        st.sampled_from(
            [
                "single_choice",
                "multiple_choice",
                "yes_no",
                "scale",
                "matrix",
                "ranking",
                "number",
                "short_text",
                "long_text",
                "date",
                "place",
                "note",
            ]
        )
    )
    q = {"id": qid, "type": kind, "label": draw(label)}
    if kind != "note":
        q["required"] = draw(st.booleans())
    if kind == "single_choice":
        q |= {
            "choices": draw(choices()),
            "display_as": draw(st.sampled_from(["radio", "dropdown"])),
        }
    elif kind == "multiple_choice":
        cs = draw(choices(min_size=2))
        if draw(st.booleans()):
            cs.append({"id": "none_of_these", "label": "Aucun", "exclusive": True})
        q["choices"] = cs
    elif kind == "yes_no":
        q["dont_know"] = draw(st.booleans())
    elif kind == "scale":
        q |= {"min": draw(st.sampled_from([0, 1])), "max": draw(st.integers(2, 10))}
    elif kind == "matrix":
        rows = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
        q |= {
            "rows": [{"id": r, "label": draw(label)} for r in rows],
            "scale": draw(choices(flags=False)),
        }
    elif kind == "ranking":
        q |= {"choices": draw(choices(flags=False)), "top": draw(st.integers(1, 3))}
    elif kind == "number":
        q |= {"decimal": draw(st.booleans()), "min": -1_000_000_000, "max": 1_000_000_000_000}
    elif kind in ("short_text", "long_text"):
        q["max_length"] = draw(st.integers(5, 300))
    elif kind == "date":
        q |= {"min": "2020-01-01", "max": "2030-12-31"}
    return q


@st.composite
def definitions(draw):
    qids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    questions = [draw(question(q)) for q in qids]
    # Some questions only show for a given earlier answer (on the same page or an earlier one).
    for i, q in enumerate(questions[1:], start=1):
        gates = [g for g in questions[:i] if g["type"] in ("single_choice", "yes_no")]
        if gates and draw(st.booleans()):
            gate = draw(st.sampled_from(gates))
            ids_ = [c["id"] for c in gate.get("choices", [])] or ["yes", "no"]
            q["show_if"] = f"{gate['id']} == '{draw(st.sampled_from(ids_))}'"
    cut = draw(st.integers(1, len(questions)))
    pages = [{"id": "p1", "questions": questions[:cut]}]
    if questions[cut:]:
        pages.append({"id": "p2", "questions": questions[cut:]})
    return {
        "slug": "prop-" + draw(st.from_regex(r"[a-z0-9]{4,10}", fullmatch=True)),
        "title": draw(label),
        "notice": draw(label),
        "retention_months": draw(st.integers(1, 120)),
        "pages": pages,
    }


def _text(draw, max_length):
    alphabet = st.characters(whitelist_categories=("L", "N", "P", "Zs"))
    return draw(
        st.text(alphabet=alphabet, min_size=1, max_size=max_length).map(str.strip).filter(bool)
    )


@st.composite
def answers_for(draw, definition, places: list[Place]):
    """A valid set of answers to every question (required ones always answered)."""
    from app.surveys.runtime import question_visible

    out = {}
    for q in definition.questions():
        if not q.asks or not question_visible(q, out) or (not q.required and draw(st.booleans())):
            continue
        t = q.type
        if t in ("single_choice", "yes_no"):
            c = draw(st.sampled_from(q.choices))
            out[q.id] = c.id
            if c.other:
                out[f"{q.id}:other"] = _text(draw, 50)
        elif t == "multiple_choice" and any(c.exclusive for c in q.choices) and draw(st.booleans()):
            out[q.id] = [next(c.id for c in q.choices if c.exclusive)]
        elif t == "multiple_choice":
            normal = [c for c in q.choices if not c.exclusive]
            picked = draw(st.lists(st.sampled_from(normal), min_size=1, unique_by=lambda c: c.id))
            out[q.id] = [c.id for c in q.choices if c in picked]
            if any(c.other for c in picked):
                out[f"{q.id}:other"] = _text(draw, 50)
        elif t == "ranking":
            ranked = draw(
                st.lists(
                    st.sampled_from(q.choices),
                    min_size=q.positions() if q.required else 1,
                    max_size=q.positions(),
                    unique_by=lambda c: c.id,
                )
            )
            out[q.id] = [c.id for c in ranked]
        elif t == "scale":
            out[q.id] = draw(st.integers(q.min, q.max))
        elif t == "matrix":
            out[q.id] = {r.id: draw(st.sampled_from(q.scale)).id for r in q.rows}
        elif t == "number":
            # Up to 13 integer digits and 2 decimals: 15 significant digits, exact in storage.
            if q.decimal:
                value = draw(st.decimals(-1_000_000_000, 999_999_999_999, places=2))
                out[q.id] = (
                    value.quantize(1) if value == value.to_integral_value() else value.normalize()
                )
            else:
                out[q.id] = draw(st.integers(-1_000_000_000, 1_000_000_000_000))
        elif t in ("short_text", "long_text"):
            out[q.id] = _text(draw, q.max_length)
        elif t == "date":
            out[q.id] = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 3000)))
        elif t == "place":
            out[q.id] = draw(st.sampled_from(places))
    return out


__all__ = ["Decimal", "answers_for", "definitions"]
