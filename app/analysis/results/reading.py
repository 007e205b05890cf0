"""One reading of a questionnaire's results, as the dashboard and the results API both give it:
the whole board or one group's view, on one theme or all, weighted or not, within the reader's
rights. The checks live here so that the page and the API refuse the same things."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.accounts.scopes import Scope
from app.analysis import access
from app.analysis.results import groups as filtered
from app.analysis.results import together
from app.analysis.results.dashboard import WEIGHTINGS, Dashboard, dashboard
from app.analysis.results.figures import Figures
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.themes import on_theme, question_themes, themes_of
from app.analysis.results.weighting import age_question
from app.territory.queries import people_by_age_loaded


class BadQuery(ValueError):
    """A query the view cannot answer: a 400 with this message."""


@dataclass
class Reading:
    figures: Figures
    board: Dashboard
    view: filtered.FilteredView | None
    questions: list  # the QuestionResults shown, in order
    theme: str | None
    themes: dict[str, str]  # the themes this reader may choose, slug → name
    weighted: str | None  # the weighting applied: "communes", "ages"


def wants_crossings(rights: Scope, args) -> bool:
    """Whether this reading is made of crossings (a group, which is all a partner of some
    communes reads, a weighting or a map by answer): they are then read with the counts."""
    wanted = ("filtre", "et", "ponderation", "carte")
    return rights.communes is not None or any(args.get(name) for name in wanted)


def read(figures: Figures, rights: Scope, names: dict[str, str], args) -> Reading:
    """`args`: filtre, et (a second group, looked at together with the first), theme,
    ponderation (a mapping such as request.args)."""
    access.require_some(rights)
    definition = figures.definition
    offered = themes_of(definition, names)
    weighting = args.get("ponderation", "")
    if weighting not in ("", *WEIGHTINGS):
        raise BadQuery(
            _(
                "Unknown weighting: leave it out, or weigh to the communes (communes) or to the "
                "age bands (ages)."
            )
        )
    chosen = args.get("theme") or None
    if chosen is not None and chosen not in offered:
        raise BadQuery(_("This questionnaire has no question on that theme."))
    theme = access.theme_for(rights, offered, chosen)
    wanted = args.get("filtre") or None
    if wanted is None and rights.communes is not None:
        wanted = first_shown_commune(rights, figures)
    wanted = access.commune_filter(rights, wanted)
    also = args.get("et") or None
    if also and not wanted:
        raise BadQuery(_("Choose a commune first, then an age band to look at with it."))
    for chosen_group in (wanted, also):
        key = (chosen_group or "").partition(":")[0]
        if key in figures.offered and not within(rights, figures, key):
            # Refused before the group is looked at: even « too few » would tell a partner
            # something of a question outside their sectors.
            raise access.OutOfScope(_("This theme is not among the sectors of your account."))
    if weighting and not rights.everything:
        raise access.OutOfScope(_("Weighting uses every commune: it is for the committee."))
    if weighting and wanted:
        raise BadQuery(_("Weighting applies to all the respondents: remove the filter to weigh."))
    if weighting == "ages":
        _check_ages(definition)
    mine = {slug: name for slug, name in offered.items() if rights.theme(slug)}
    board = dashboard(figures, weighting or None)
    if not wanted:
        questions = on_theme(definition, board.results.questions, theme)
        return Reading(figures, board, None, questions, theme, mine, board.weighted)
    try:
        if also:
            view = together.together(figures, together.parse(wanted, also, figures))
        else:
            view = filtered.filtered(figures, filtered.parse(wanted, figures))
    except together.NotInRelease:
        raise BadQuery(
            _(
                "These results were published before two groups could be looked at together: "
                "look at each group alone, or wait for the next publication."
            )
        ) from None
    except together.UnknownCombination:
        raise BadQuery(
            _("Only a commune and an age band can be looked at together: choose one of each.")
        ) from None
    except filtered.UnknownFilter:
        raise BadQuery(_("Unknown filter: choose a group from the list.")) from None
    except filtered.TooFewInGroup as group:
        raise BadQuery(too_few(group)) from None
    questions = on_theme(definition, view.questions, theme)
    return Reading(figures, board, view, questions, theme, mine, None)


def _check_ages(definition) -> None:
    if age_question(definition) is None:
        raise BadQuery(
            _(
                "This questionnaire has no age question that says which ages each choice covers "
                "(« ages » in its definition): it cannot be weighted to age bands."
            )
        )
    if not people_by_age_loaded()[0]:
        raise BadQuery(
            _(
                "No population by age has been loaded: an administrator loads Statbel's figures "
                "with « flask territory ages »."
            )
        )


def first_shown_commune(rights: Scope, figures: Figures) -> str | None:
    """A commune partner's default view: the first of their communes whose size is shown."""
    breakdown = figures.offered.get("commune")
    published = (breakdown.published or {}) if breakdown is not None else {}
    for nis in sorted(rights.communes or ()):
        cell = published.get(nis)
        if cell is not None and cell.count:
            return f"commune:{nis}"
    return None


def within(rights: Scope, figures: Figures, key: str) -> bool:
    """Whether a breakdown may be used by this reader: a partner of some sectors does not read
    the answers to questions of other sectors, not even as the size of a group."""
    question = figures.offered[key].question
    if rights.themes is None or question is None:
        return True
    return bool(set(question_themes(figures.definition, question)) & rights.themes)


def filter_choices(rights: Scope, figures: Figures) -> dict:
    """The groups offered in the filter list, within the reader's rights."""
    offered = {}
    for title, groups in filtered.choices(figures).items():
        kept = [
            f
            for f in groups
            if within(rights, figures, f.key)
            and (rights.communes is None or (f.key == "commune" and f.category in rights.communes))
        ]
        if kept:
            offered[title] = kept
    return offered


def second_choices(rights: Scope, figures: Figures) -> list:
    """The groups that can be looked at together with a commune (the age bands), within the
    reader's rights; none when this questionnaire (or release) offers no such pair."""
    keys = together.together_keys(figures.definition)
    if keys is None or not within(rights, figures, keys[1]):
        return []
    sources = together.together_sources(figures.definition)
    if figures.crossings is not None and not figures.crossings.crossed_together(*sources):
        return []  # a release published before pairs could be looked at
    label = figures.offered[keys[1]].label
    return [
        f
        for f in filtered.choices(figures).get(label, [])
        if f.key == keys[1] and f.category != NOT_ANSWERED
    ]


def too_few(group) -> str:
    if isinstance(group, filtered.SumWouldTell):
        return _(
            "« %(group)s » cannot be looked at alone: its number of people would tell a count "
            "hidden outside it. Choose its communes, or another group.",
            group=str(group),
        )
    return _(
        "Too few people in « %(group)s » to look at them alone: nobody must be recognisable.",
        group=str(group),
    )
