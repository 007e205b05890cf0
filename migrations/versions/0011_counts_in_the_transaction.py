"""counts in the transaction

The tallies are now changed in the transaction that submits or deletes a response: nothing
claims responses to count them later (responses.tallied_in goes), and crossings are counted
when asked for (tally_pairs goes). The tallies are counted again here from the stored answers,
so that they start equal to them; a count can no longer go below zero.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:10:00

"""

import re
from collections import Counter
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TALLIES = ("tally_answers", "tally_questions", "tally_words", "tally_responses")

# The words of a free-text answer, as app.surveys.types.words counts them at this revision.
WORD = re.compile(r"[^\W\d_]{3,}")
COMMON = frozenset(
    (
        "les des une est pas que qui pour par avec dans sur mais plus tout tous toute toutes son "
        "sa ses leur leurs nous vous ils elles elle lui aux ces cette cet être avoir fait faire "
        "été ont sont très trop bien aussi comme même encore ainsi alors donc car quand où peu "
        "chez sans sous entre vers non oui rien ceux celle celui cela ça ici moi toi mon ma mes "
        "ton ta tes notre nos votre vos avons avez peut plus pas faut "
        "het een van dat die niet zijn voor met ook maar als bij nog wel naar dan wat kan zou "
        "heb hebben geen meer wordt werd over omdat deze veel "
        "der die das und ist nicht ein eine mit auf für sich auch dem den des von zu im es sie "
        "wir ich mir mich bei oder aber wie noch nur kein keine mehr sehr wenn dass "
        "the and for are with that this not you but was have has from they their there what "
        "which too very"
    ).split()
)


def upgrade():
    with op.batch_alter_table("tally_pairs", schema=None) as batch_op:
        batch_op.drop_index("ix_tally_pairs_second")
    op.drop_table("tally_pairs")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_tallied_in")
        batch_op.drop_column("tallied_in")
    bind = op.get_bind()
    for table in TALLIES:
        bind.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint("never_negative", "people >= 0")
    _count(bind)


def _count(bind) -> None:
    real = (
        "FROM answers JOIN responses ON responses.id = answers.response_id "
        "JOIN survey_versions ON survey_versions.id = responses.version_id "
        "WHERE responses.submitted_at IS NOT NULL AND NOT responses.synthetic"
    )
    keys = "answers.question_id, answers.row_id, answers.choice_id, answers.position, "
    keys += "answers.number, answers.nis"
    rows = [
        {
            "survey_id": survey_id,
            "question_id": question_id,
            "row_id": row_id or "",
            "choice_id": choice_id or "",
            "position": position or 0,
            "value": "" if number is None else repr(float(number)),
            "nis": nis or "",
            "people": people,
        }
        for survey_id, question_id, row_id, choice_id, position, number, nis, people in bind.execute(
            sa.text(f"SELECT survey_versions.survey_id, {keys}, count(*) {real} "  # noqa: S608
                    f"GROUP BY survey_versions.survey_id, {keys}")
        )
    ]
    _insert(bind, "tally_answers", rows)
    questions = bind.execute(
        sa.text(
            "SELECT survey_versions.survey_id, answers.question_id, "  # noqa: S608
            f"count(DISTINCT answers.response_id) {real} "
            "GROUP BY survey_versions.survey_id, answers.question_id"
        )
    )
    _insert(
        bind,
        "tally_questions",
        [{"survey_id": s, "question_id": q, "people": n} for s, q, n in questions],
    )
    words: Counter = Counter()
    texts = bind.execute(
        sa.text(
            "SELECT survey_versions.survey_id, answers.question_id, answers.text "  # noqa: S608
            f"{real} AND answers.text IS NOT NULL AND answers.choice_id IS NULL"
        )
    )
    for survey_id, question_id, text in texts:
        found = {w for w in WORD.findall(str(text).lower()) if w not in COMMON and len(w) <= 100}
        words.update((survey_id, question_id, w) for w in found)
    _insert(
        bind,
        "tally_words",
        [{"survey_id": s, "question_id": q, "word": w, "people": n} for (s, q, w), n in words.items()],
    )
    sent: Counter = Counter()
    responses = bind.execute(
        sa.text(
            "SELECT survey_versions.survey_id, responses.channel, responses.submitted_at "
            "FROM responses JOIN survey_versions ON survey_versions.id = responses.version_id "
            "WHERE responses.submitted_at IS NOT NULL AND NOT responses.synthetic"
        )
    )
    for survey_id, channel, at in responses:
        if isinstance(at, str):  # SQLite, read as text
            at = datetime.fromisoformat(at)
        if at.tzinfo is not None:
            at = at.astimezone(UTC)
        sent[(survey_id, channel, f"{at.year}-{(at.month - 1) // 3 + 1}")] += 1
    _insert(
        bind,
        "tally_responses",
        [{"survey_id": s, "channel": c, "quarter": q, "people": n} for (s, c, q), n in sent.items()],
    )


def _insert(bind, name: str, rows: list[dict]) -> None:
    if rows:
        table = sa.table(name, *(sa.column(c) for c in rows[0]))
        bind.execute(table.insert(), rows)


def downgrade():
    # The former code counts every response again from empty tallies (tallied_in all NULL).
    bind = op.get_bind()
    for table in TALLIES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint("never_negative", type_="check")
        bind.execute(sa.text(f"DELETE FROM {table}"))  # noqa: S608 - our own table names
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tallied_in", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_responses_tallied_in", ["tallied_in"], unique=False)
    op.create_table(
        "tally_pairs",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("first", sa.String(length=81), nullable=False),
        sa.Column("first_value", sa.String(length=40), nullable=False),
        sa.Column("second", sa.String(length=81), nullable=False),
        sa.Column("second_value", sa.String(length=40), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "second <> '' OR second_value = ''", name=op.f("ck_tally_pairs_one_way_alone")
        ),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_tally_pairs_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "survey_id",
            "first",
            "first_value",
            "second",
            "second_value",
            name=op.f("pk_tally_pairs"),
        ),
    )
    with op.batch_alter_table("tally_pairs", schema=None) as batch_op:
        batch_op.create_index("ix_tally_pairs_second", ["survey_id", "second"], unique=False)
