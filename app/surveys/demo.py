"""Synthetic responses: plausible, reproducible, following the logic; flagged as synthetic."""

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.surveys.runtime import question_visible
from app.surveys.types.base import Question
from app.territory.models import Commune
from app.territory.places import Place

TEXTS = {
    "fr": [
        "Plus de bus le soir et le week-end.",
        "Un médecin généraliste plus proche.",
        "Je me sens seul depuis que mon mari est décédé.",
        "Les loyers sont trop chers pour une personne seule.",
        "Il faudrait un service de taxi social.",
        "Je n'ai pas de voiture et la gare est loin.",
        "Être en bonne santé et voir mes petits-enfants.",
        "Aider mes voisins, faire les courses pour eux.",
    ],
}


class Generator:
    def __init__(self, definition, seed: int, territory: list[Commune]):
        self.definition = definition
        self.seed = seed
        self.rng = random.Random(seed)
        self.communes = territory

    def weights(self, question: Question, n: int) -> list[float]:
        # One skew per question and seed, so answers look like a population, not uniform noise.
        skew = random.Random(f"{self.seed}:{question.id}")
        return [skew.random() ** 2 + 0.05 for _ in range(n)]

    def response(self) -> dict:
        answers: dict = {}
        for page in self.definition.pages:
            from app.surveys.runtime import condition_holds

            if not condition_holds(page.show_if, answers):
                continue
            for question in page.questions:
                if not question.asks or not question_visible(question, answers):
                    continue
                if not question.required and self.rng.random() < 0.08:
                    continue
                answers |= getattr(self, question.type)(question, answers)
        return answers

    def _pick(self, question, choices, k=1):
        weights = self.weights(question, len(question.choices))
        pool = [(c, weights[question.choices.index(c)]) for c in choices]
        picked = []
        while pool and len(picked) < k:
            choice = self.rng.choices([c for c, _ in pool], [w for _, w in pool])[0]
            picked.append(choice)
            pool = [(c, w) for c, w in pool if c is not choice]
        return picked

    def _other(self, question, picked) -> dict:
        # A list filtered from an earlier question reuses the text typed there.
        if not question.choices_from and any(c.other for c in picked):
            return {f"{question.id}:other": self.rng.choice(TEXTS["fr"])[:60]}
        return {}

    def single_choice(self, question, answers):
        choice = self._pick(question, question.offered(answers))[0]
        return {question.id: choice.id} | self._other(question, [choice])

    yes_no = single_choice

    def multiple_choice(self, question, answers):
        offered = question.offered(answers)
        exclusive = [c for c in offered if c.exclusive]
        if exclusive and self.rng.random() < 0.1:
            return {question.id: [exclusive[0].id]}
        others = [c for c in offered if not c.exclusive]
        low = question.min_choices or 1
        high = min(question.max_choices or 3, len(others))
        picked = self._pick(question, others, self.rng.randint(min(low, high), high))
        order = [c.id for c in question.choices]
        ids = sorted((c.id for c in picked), key=order.index)
        return {question.id: ids} | self._other(question, picked)

    def ranking(self, question, answers):
        picked = self._pick(question, question.offered(answers), question.positions(answers))
        return {question.id: [c.id for c in picked]}

    def scale(self, question, answers):
        points = question.points()
        weights = self.weights(question, len(points))
        return {question.id: self.rng.choices(points, weights)[0]}

    def matrix(self, question, answers):
        value = {}
        for row in question.rows:
            weights = [self.rng.random() + 0.1 for _ in question.scale]
            value[row.id] = self.rng.choices([c.id for c in question.scale], weights)[0]
        return {question.id: value}

    def number(self, question, answers):
        low = Decimal(question.min if question.min is not None else 0)
        high = Decimal(question.max if question.max is not None else max(low, 10) * 3)
        # Most people near the low end (a few km, a few minutes), a long tail above.
        drawn = Decimal(
            str(self.rng.triangular(float(low), float(high), float(low + (high - low) / 20)))
        )
        if question.decimal:
            value = min(high, max(low, drawn.quantize(Decimal("0.1"))))
            return {question.id: value}
        value = min(int(high), max(int(-(-low // 1)), int(drawn)))
        return {question.id: value}

    def short_text(self, question, answers):
        return {question.id: self.rng.choice(TEXTS["fr"])[: question.max_length]}

    long_text = short_text

    def date(self, question, answers):
        start = question.min or (question.max - timedelta(days=365) if question.max else None)
        from datetime import date as date_type

        start = start or date_type(2026, 1, 1)
        end = question.max or start + timedelta(days=365)
        return {question.id: start + timedelta(days=self.rng.randint(0, (end - start).days))}

    def place(self, question, answers):
        roll = self.rng.random()
        if roll < 0.04:
            return {question.id: Place("undisclosed")}
        if roll < 0.08 and self.definition.territory != "anyone":
            return {question.id: Place("elsewhere")}
        commune = self.rng.choices(self.communes, [c.population_2020 for c in self.communes])[0]
        if self.rng.random() < 0.15 or not commune.sections:
            return {question.id: Place("commune", commune.nis)}
        section = self.rng.choice(commune.sections)
        return {question.id: Place("section", commune.nis, section.code)}


def territory_of(definition) -> list[Commune]:
    query = select(Commune).order_by(Commune.nis)
    if definition.territory == "sud-esem":
        query = query.where(Commune.area == "sud-esem")
    return list(db.session.scalars(query))


def generate(definition, count: int, seed: int) -> list[dict]:
    generator = Generator(definition, seed, territory_of(definition))
    return [generator.response() for _ in range(count)]
