"""The words of a free-text answer that the analysis counts: each once per person, without short
words, numbers and the common words of the platform's four languages (the tallies count how many
people used each; the committee sees only those many people used)."""

import re

WORD = re.compile(r"[^\W\d_]{3,}")
_COMMON = (
    # French
    "les des une est pas que qui pour par avec dans sur mais plus tout tous toute toutes son sa "
    "ses leur leurs nous vous ils elles elle lui aux ces cette cet être avoir fait faire été ont "
    "sont très trop bien aussi comme même encore ainsi alors donc car quand où peu chez sans sous "
    "entre vers non oui rien ceux celle celui cela ça ici moi toi mon ma mes ton ta tes notre nos "
    "votre vos avons avez peut plus pas faut "
    # Dutch
    "het een van dat die niet zijn voor met ook maar als bij nog wel naar dan wat kan zou heb "
    "hebben geen meer wordt werd over omdat deze veel "
    # German
    "der die das und ist nicht ein eine mit auf für sich auch dem den des von zu im es sie wir "
    "ich mir mich bei oder aber wie noch nur kein keine mehr sehr wenn dass "
    # English
    "the and for are with that this not you but was have has from they their there what which "
    "too very"
)
COMMON = frozenset(_COMMON.split())


WORD_LENGTH = 100  # longer « words » are not words (and would not fit the tallies)


def words_of(text: str) -> set[str]:
    """The words of one answer, each once."""
    found = WORD.findall(str(text).lower())
    return {w for w in found if w not in COMMON and len(w) <= WORD_LENGTH}
