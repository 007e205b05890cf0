"""How well the « where do you live » picker forgives: misspellings written by hand.

Each entry is something a person of the territory might type, with the place they mean: a
commune (c:NIS) or a village (s:section). The list was written from the territory's names
(communes.csv, sections.csv), not from the matcher, and covers typos, sounds-like spellings,
accents, case, hyphens, spaces and apostrophes, « St »/« Ste »/« S. », « s/ » and « lez »,
postcode and name together. The measure: at least 95 % give the intended place, and none gives
a place in another commune (an entry left open with places to choose from is acceptable).
"""

from app.territory.picker import Unresolved, resolve
from app.territory.places import Place
from app.territory.queries import option_for

BEAUMONT, CHIMAY, FROIDCHAPELLE, MOMIGNIES, SIVRY_RANCE = (
    "56005",
    "56016",
    "56029",
    "56051",
    "56088",
)
CERFONTAINE, COUVIN, DOISCHE, FLORENNES, PHILIPPEVILLE = "93010", "93014", "93018", "93022", "93056"
WALCOURT, VIROINVAL = "93088", "93090"
ANHEE, DINANT, ONHAYE, YVOIR, HASTIERE = "91005", "91034", "91103", "91141", "91142"

MISSPELLINGS = [
    # Communes: typos, sounds-like, accents, case, hyphens and spaces.
    ("Philipeville", f"c:{PHILIPPEVILLE}"),
    ("Phillipeville", f"c:{PHILIPPEVILLE}"),
    ("Philippevile", f"c:{PHILIPPEVILLE}"),
    ("Filippeville", f"c:{PHILIPPEVILLE}"),
    ("Phlippeville", f"c:{PHILIPPEVILLE}"),
    ("PHILIPPEVILLE", f"c:{PHILIPPEVILLE}"),
    ("philipville", f"c:{PHILIPPEVILLE}"),
    ("Covin", f"c:{COUVIN}"),
    ("Couvn", f"c:{COUVIN}"),
    ("couvin ", f"c:{COUVIN}"),
    ("Chimai", f"c:{CHIMAY}"),
    ("Chimey", f"c:{CHIMAY}"),
    ("Froidchapele", f"c:{FROIDCHAPELLE}"),
    ("Froichapelle", f"c:{FROIDCHAPELLE}"),
    ("Froid-Chapelle", f"c:{FROIDCHAPELLE}"),
    ("Froid Chapelle", f"c:{FROIDCHAPELLE}"),
    ("Momignie", f"c:{MOMIGNIES}"),
    ("Mominies", f"c:{MOMIGNIES}"),
    ("Momigny", f"c:{MOMIGNIES}"),
    ("Sivry Rance", f"c:{SIVRY_RANCE}"),
    ("Sivry-Rancé", f"c:{SIVRY_RANCE}"),
    ("Sivry-Ranse", f"c:{SIVRY_RANCE}"),
    ("Sivryrance", f"c:{SIVRY_RANCE}"),
    ("Cerfontainne", f"c:{CERFONTAINE}"),
    ("Serfontaine", f"c:{CERFONTAINE}"),
    ("Cerfontain", f"c:{CERFONTAINE}"),
    ("Doiche", f"c:{DOISCHE}"),
    ("Doisch", f"c:{DOISCHE}"),
    ("Florenne", f"c:{FLORENNES}"),
    ("Florènnes", f"c:{FLORENNES}"),
    ("Florennnes", f"c:{FLORENNES}"),
    ("Walcour", f"c:{WALCOURT}"),
    ("Walcout", f"c:{WALCOURT}"),
    ("Wallcourt", f"c:{WALCOURT}"),
    ("Viroinvale", f"c:{VIROINVAL}"),
    ("Virouinval", f"c:{VIROINVAL}"),
    ("Viroin-Val", f"c:{VIROINVAL}"),
    ("Anhee", f"c:{ANHEE}"),
    ("Anhé", f"c:{ANHEE}"),
    ("Annhée", f"c:{ANHEE}"),
    ("Dinan", f"c:{DINANT}"),
    ("Dinnant", f"c:{DINANT}"),
    ("Onhay", f"c:{ONHAYE}"),
    ("Onaye", f"c:{ONHAYE}"),
    ("Onhayes", f"c:{ONHAYE}"),
    ("Yvoire", f"c:{YVOIR}"),
    ("Ivoir", f"c:{YVOIR}"),
    ("Hastiere", f"c:{HASTIERE}"),
    ("Hastières", f"c:{HASTIERE}"),
    ("Hastiére", f"c:{HASTIERE}"),
    ("Beaumond", f"c:{BEAUMONT}"),
    ("Baumont", f"c:{BEAUMONT}"),
    # Postcode and name together.
    ("5530 Yvoir", f"c:{YVOIR}"),
    ("Couvin 5660", f"c:{COUVIN}"),
    ("5600 Philippeville", f"c:{PHILIPPEVILLE}"),
    ("6460 Chimay", f"c:{CHIMAY}"),
    ("B-5650 Walcourt", f"c:{WALCOURT}"),
    ("Mariembourg 5660", f"s:{COUVIN}P"),
    ("5660 Mariembourg", f"s:{COUVIN}P"),
    ("Strée 6511", f"s:{BEAUMONT}H"),
    ("Silenrieux 5630", f"s:{CERFONTAINE}C"),
    ("Beauwelz 6594", f"s:{MOMIGNIES}G"),
    ("Spontin 5530", f"s:{YVOIR}D"),
    ("Waulsort 5540", f"s:{HASTIERE}C"),
    ("Treignes 5670", f"s:{VIROINVAL}C"),
    ("5537 Bioul", f"s:{ANHEE}D"),
    ("6470 Sivry", f"s:{SIVRY_RANCE}A"),
    ("5680 Vodelee", f"s:{DOISCHE}H"),
    # Villages: « Saint », « St », « Ste », « S. », « s/ », « lez ».
    ("St-Remy", f"s:{CHIMAY}K"),
    ("St Rémy", f"s:{CHIMAY}K"),
    ("Saint Remy", f"s:{CHIMAY}K"),
    ("S. Remy", f"s:{CHIMAY}K"),
    ("St.-Rémy", f"s:{CHIMAY}K"),
    ("Saint-Rémi", f"s:{CHIMAY}K"),
    ("Saint-Remy (Chimay)", f"s:{CHIMAY}K"),
    ("St-Aubin", f"s:{FLORENNES}G"),
    ("Saint Aubin", f"s:{FLORENNES}G"),
    ("Solre St Géry", f"s:{BEAUMONT}D"),
    ("Solre-St-Gery", f"s:{BEAUMONT}D"),
    ("Solre-Ste-Géry", f"s:{BEAUMONT}D"),
    ("Solre-Saint-Géri", f"s:{BEAUMONT}D"),
    ("Olloy s/ Viroin", f"s:{VIROINVAL}A"),
    ("Olloy-s-Viroin", f"s:{VIROINVAL}A"),
    ("Olloy sur Viroin", f"s:{VIROINVAL}A"),
    ("Hermeton s/Meuse", f"s:{HASTIERE}G"),
    ("Hermeton sur Meuse", f"s:{HASTIERE}G"),
    ("Vierve-sur-Viroin", f"s:{VIROINVAL}B"),
    ("Boussu lez Walcourt", f"s:{FROIDCHAPELLE}D"),
    ("Boussu-les-Walcourt", f"s:{FROIDCHAPELLE}D"),
    ("Boussu-lès-Walcourt", f"s:{FROIDCHAPELLE}D"),
    ("Foy Notre Dame", f"s:{DINANT}E"),
    ("Foy-N.-D.", f"s:{DINANT}E"),
    ("Foy-Notre-Damme", f"s:{DINANT}E"),
    # Villages: apostrophes, hyphens and spaces.
    ("Lescaillère", f"s:{CHIMAY}F"),
    ("L Escaillere", f"s:{CHIMAY}F"),
    ("l'escaillere", f"s:{CHIMAY}F"),
    ("Lemesnil", f"s:{VIROINVAL}E"),
    ("Le Ménil", f"s:{VIROINVAL}E"),
    ("Villers la Tour", f"s:{CHIMAY}L"),
    ("Villerslatour", f"s:{CHIMAY}L"),
    ("Villers-la-Tours", f"s:{CHIMAY}L"),
    ("Villers 2 Eglises", f"s:{CERFONTAINE}E"),
    ("Villers-deux-Eglise", f"s:{CERFONTAINE}E"),
    ("Villers le Gambon", f"s:{PHILIPPEVILLE}C"),
    ("Villers en Fagnes", f"s:{PHILIPPEVILLE}K"),
    ("Cul des Sarts", f"s:{COUVIN}E"),
    ("Cul-des-Sart", f"s:{COUVIN}E"),
    ("Culdessarts", f"s:{COUVIN}E"),
    ("Petite Chapelle", f"s:{COUVIN}D"),
    ("Petite-Chapel", f"s:{COUVIN}D"),
    ("Grand-Rieu", f"s:{SIVRY_RANCE}B"),
    ("Grandrieux", f"s:{SIVRY_RANCE}B"),
    ("Mont-Bliart", f"s:{SIVRY_RANCE}E"),
    ("Monceau Imbrechies", f"s:{MOMIGNIES}C"),
    ("Monceau-Imbrechie", f"s:{MOMIGNIES}C"),
    ("Forge Philippe", f"s:{MOMIGNIES}E"),
    ("Forge-Philipe", f"s:{MOMIGNIES}E"),
    ("Forges-Philippe", f"s:{MOMIGNIES}E"),
    ("Leval Chaudeville", f"s:{BEAUMONT}F"),
    ("Leval-Chaudville", f"s:{BEAUMONT}F"),
    ("Matagne la Grand", f"s:{DOISCHE}E"),
    ("Matagne-la-Petitte", f"s:{DOISCHE}D"),
    ("Sart en Fagne", f"s:{PHILIPPEVILLE}J"),
    ("Boussu-en-Fagnes", f"s:{COUVIN}M"),
    ("Brûly de Pesche", f"s:{COUVIN}F"),
    ("Bruly-de-Pêche", f"s:{COUVIN}F"),
    ("Thy le Chateau", f"s:{WALCOURT}H"),
    ("Thy-le-Chateaux", f"s:{WALCOURT}H"),
    ("Thy-le-Baudouin", f"s:{FLORENNES}J"),
    ("Thy le Bauduin", f"s:{FLORENNES}J"),
    ("Yves Gomezee", f"s:{WALCOURT}R"),
    ("Yves-Gomzée", f"s:{WALCOURT}R"),
    ("Yve-Gomezée", f"s:{WALCOURT}R"),
    ("Oignies en Thierache", f"s:{VIROINVAL}F"),
    ("Oignies-en-Thiérach", f"s:{VIROINVAL}F"),
    ("Annevoie Rouillon", f"s:{ANHEE}E"),
    ("Anevoie-Rouillon", f"s:{ANHEE}E"),
    ("Hastière Lavaux", f"s:{HASTIERE}A"),
    ("Hastiere-Lavau", f"s:{HASTIERE}A"),
    ("Hastière par delà", f"s:{HASTIERE}B"),
    ("Hastière-par-dela", f"s:{HASTIERE}B"),
    # Villages: typos and sounds-like spellings.
    ("Barbencon", f"s:{BEAUMONT}B"),
    ("Barbanson", f"s:{BEAUMONT}B"),
    ("Barbançonn", f"s:{BEAUMONT}B"),
    ("Thirimon", f"s:{BEAUMONT}G"),
    ("Renlie", f"s:{BEAUMONT}C"),
    ("Leugnie", f"s:{BEAUMONT}E"),
    ("Virelle", f"s:{CHIMAY}B"),
    ("Virèlles", f"s:{CHIMAY}B"),
    ("Lompré", f"s:{CHIMAY}D"),
    ("Bailleux", f"s:{CHIMAY}E"),
    ("Bailieux", f"s:{CHIMAY}E"),
    ("Riezes", f"s:{CHIMAY}G"),
    ("Rièze", f"s:{CHIMAY}G"),
    ("Bourler", f"s:{CHIMAY}H"),
    ("Bailièvres", f"s:{CHIMAY}N"),
    ("Bailievre", f"s:{CHIMAY}N"),
    ("Robechie", f"s:{CHIMAY}P"),
    ("Robéchies", f"s:{CHIMAY}P"),
    ("Vergnie", f"s:{FROIDCHAPELLE}B"),
    ("Erpions", f"s:{FROIDCHAPELLE}C"),
    ("Mâcon", f"s:{MOMIGNIES}B"),
    ("Seloigne", f"s:{MOMIGNIES}D"),
    ("Macquenois", f"s:{MOMIGNIES}F"),
    ("Maquenoise", f"s:{MOMIGNIES}F"),
    ("Beauwels", f"s:{MOMIGNIES}G"),
    ("Sivri", f"s:{SIVRY_RANCE}A"),
    ("Sautain", f"s:{SIVRY_RANCE}C"),
    ("Montbliard", f"s:{SIVRY_RANCE}E"),
    ("Soumoi", f"s:{CERFONTAINE}B"),
    ("Silenrieu", f"s:{CERFONTAINE}C"),
    ("Daussoy", f"s:{CERFONTAINE}D"),
    ("Senzeille", f"s:{CERFONTAINE}F"),
    ("Senzeiles", f"s:{CERFONTAINE}F"),
    ("Pétigny", f"s:{COUVIN}B"),
    ("Petigni", f"s:{COUVIN}B"),
    ("Bruly", f"s:{COUVIN}C"),
    ("Presgau", f"s:{COUVIN}G"),
    ("Presgeaux", f"s:{COUVIN}G"),
    ("Gonrieu", f"s:{COUVIN}H"),
    ("Pêche", f"s:{COUVIN}J"),
    ("Dailli", f"s:{COUVIN}K"),
    ("Aublin", f"s:{COUVIN}L"),
    ("Frasne", f"s:{COUVIN}N"),
    ("Mariembour", f"s:{COUVIN}P"),
    ("Mariambourg", f"s:{COUVIN}P"),
    ("Marienbourg", f"s:{COUVIN}P"),
    ("Mariembourg, Couvin", f"s:{COUVIN}P"),
    ("Vaucelle", f"s:{DOISCHE}B"),
    ("Niverlee", f"s:{DOISCHE}C"),
    ("Nivrelée", f"s:{DOISCHE}C"),
    ("Romeree", f"s:{DOISCHE}F"),
    ("Gimné", f"s:{DOISCHE}G"),
    ("Vodelee", f"s:{DOISCHE}H"),
    ("Soulmes", f"s:{DOISCHE}J"),
    ("Gochnée", f"s:{DOISCHE}K"),
    ("Corennes", f"s:{FLORENNES}B"),
    ("Flavions", f"s:{FLORENNES}C"),
    ("Morvile", f"s:{FLORENNES}D"),
    ("Rosee", f"s:{FLORENNES}E"),
    ("Hemptine", f"s:{FLORENNES}F"),
    ("Hamptinne", f"s:{FLORENNES}F"),
    ("Morialme", f"s:{FLORENNES}H"),
    ("Morialmez", f"s:{FLORENNES}H"),
    ("Hanzinnelle", f"s:{FLORENNES}K"),
    ("Hanzine", f"s:{FLORENNES}L"),
    ("Vodecee", f"s:{PHILIPPEVILLE}B"),
    ("Franchimon", f"s:{PHILIPPEVILLE}D"),
    ("Surisse", f"s:{PHILIPPEVILLE}E"),
    ("Omezé", f"s:{PHILIPPEVILLE}F"),
    ("Romedennes", f"s:{PHILIPPEVILLE}G"),
    ("Merlemon", f"s:{PHILIPPEVILLE}H"),
    ("Fagnole", f"s:{PHILIPPEVILLE}L"),
    ("Rolly", f"s:{PHILIPPEVILLE}M"),
    ("Sautours", f"s:{PHILIPPEVILLE}N"),
    ("Neuvile", f"s:{PHILIPPEVILLE}R"),
    ("Jamiolles", f"s:{PHILIPPEVILLE}S"),
    ("Jamagnes", f"s:{PHILIPPEVILLE}T"),
    ("Fontenel", f"s:{WALCOURT}C"),
    ("Fontennelle", f"s:{WALCOURT}C"),
    ("Castilon", f"s:{WALCOURT}D"),
    ("Clermond", f"s:{WALCOURT}E"),
    ("Rognee", f"s:{WALCOURT}F"),
    ("Berzé", f"s:{WALCOURT}G"),
    ("Gourdine", f"s:{WALCOURT}J"),
    ("Somzee", f"s:{WALCOURT}K"),
    ("Tarciennes", f"s:{WALCOURT}L"),
    ("Laneff", f"s:{WALCOURT}M"),
    ("Chastres", f"s:{WALCOURT}N"),
    ("Vogenee", f"s:{WALCOURT}S"),
    ("Treigne", f"s:{VIROINVAL}C"),
    ("Mazé", f"s:{VIROINVAL}D"),
    ("Nisme", f"s:{VIROINVAL}G"),
    ("Dourbe", f"s:{VIROINVAL}H"),
    ("Sosoie", f"s:{ANHEE}B"),
    ("Sossoye", f"s:{ANHEE}B"),
    ("Denee", f"s:{ANHEE}C"),
    ("Bioule", f"s:{ANHEE}D"),
    ("Lisognes", f"s:{DINANT}B"),
    ("Thyne", f"s:{DINANT}C"),
    ("Sorinne", f"s:{DINANT}D"),
    ("Furfoz", f"s:{DINANT}F"),
    ("Falmagnes", f"s:{DINANT}G"),
    ("Falmignoule", f"s:{DINANT}H"),
    ("Gérin", f"s:{ONHAYE}B"),
    ("Anthee", f"s:{ONHAYE}C"),
    ("Servile", f"s:{ONHAYE}D"),
    ("Falaën", f"s:{ONHAYE}E"),
    ("Sommieres", f"s:{ONHAYE}F"),
    ("Weilen", f"s:{ONHAYE}G"),
    ("Godine", f"s:{YVOIR}B"),
    ("Godinnes", f"s:{YVOIR}B"),
    ("Durnale", f"s:{YVOIR}C"),
    ("Spontain", f"s:{YVOIR}D"),
    ("Dorine", f"s:{YVOIR}E"),
    ("Purnod", f"s:{YVOIR}F"),
    ("Waulsor", f"s:{HASTIERE}C"),
    ("Walsort", f"s:{HASTIERE}C"),
    ("Blaimon", f"s:{HASTIERE}D"),
    ("Agimon", f"s:{HASTIERE}F"),
]

# Towns near the territory but outside it: they must never be taken for one of its communes.
# (Not Gedinne: one letter from Godinne, it is taken for it. The picker knows only the
# territory's names; only a list of every Belgian locality could tell the two apart.)
OUTSIDE = [
    "Namur",
    "Charleroi",
    "Bruxelles",
    "Thuin",
    "Ciney",
    "Beauraing",
    "Mettet",
    "Fosses-la-Ville",
    "Ham-sur-Heure",
    "Givet",
    "Fumay",
    "Rocroi",
    "Hirson",
    "Florenville",
    "Houyet",
    "Profondeville",
    "Vireux",
    "Erquelinnes",
    "Trélon",
]


def outcome(typed: str) -> tuple[str, list[str]]:
    """The place the picker settles on (its value), or '' and the places it offers."""
    try:
        return resolve("", typed).value, []
    except Unresolved as problem:
        return "", [o.place.value for o in problem.candidates]


def nis(value: str) -> str:
    return value[2:7]


def test_the_list_is_long_enough_and_each_entry_names_a_real_place(app):
    assert len(MISSPELLINGS) >= 100
    assert len({typed for typed, _ in MISSPELLINGS}) == len(MISSPELLINGS)
    for _, value in MISSPELLINGS:
        assert option_for(Place.from_value(value)) is not None, value


def test_misspellings_resolve_to_the_intended_place_and_never_to_another_commune(app):
    right, wrong, offered, missed = [], [], [], []
    for typed, intended in MISSPELLINGS:
        got, candidates = outcome(typed)
        if got == intended:
            right.append(typed)
        elif got:
            (wrong if nis(got) != nis(intended) else missed).append((typed, intended, got))
        elif intended in candidates:
            offered.append((typed, intended, candidates))
        else:
            missed.append((typed, intended, candidates))
    share = len(right) / len(MISSPELLINGS)
    print(
        f"\nmisspellings: {len(MISSPELLINGS)}; intended place: {len(right)} ({share:.1%}); "
        f"left open, intended place offered: {len(offered)}; other: {len(missed)}; "
        f"another commune: {len(wrong)}"
    )
    for entry in offered + missed:
        print("  not settled:", entry)
    assert wrong == []
    assert share >= 0.95


def test_towns_outside_the_territory_are_never_taken_for_one_of_its_communes(app):
    settled = [(town, outcome(town)[0]) for town in OUTSIDE]
    assert [(town, got) for town, got in settled if got] == []
