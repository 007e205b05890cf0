"""answers written once

Answers sent whole through the API are written as rows at once: the documents still waiting in
pending_answers are written out, then the table goes. Each answer row says which item of its
question it answers (`item`: '' for a question with one value, the choice of a multiple choice,
the row of a matrix, the place of a ranking), and a response holds one value per item (a unique
constraint): copies left by two « Send » at once are removed first, the oldest row kept. The
index on the answers' values now holds every value and its response, for the crossings. A
response deleted with its code leaves the keyed hash of that code (deleted_responses), so that
using it again says the answers are gone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 03:05:00

"""

import json
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The columns of a document of pending_answers (0009), in their order.
DOCUMENT = ("question_id", "row_id", "choice_id", "position", "number", "text", "date", "nis")
DOCUMENT += ("section",)
# Which value names the item, by question type (the types as they were at this revision).
ITEM = {"multiple_choice": "choice_id", "matrix": "row_id", "ranking": "position"}


def upgrade():
    bind = op.get_bind()
    answers = sa.table(
        "answers",
        sa.column("id", sa.Integer),
        sa.column("response_id", sa.Integer),
        *(sa.column(c) for c in DOCUMENT if c != "date"),
        sa.column("date", sa.Date),
    )
    for response_id, document in bind.execute(
        sa.text("SELECT response_id, document FROM pending_answers")
    ).all():
        rows = [dict(zip(DOCUMENT, values, strict=True)) for values in json.loads(document)]
        for row in rows:
            row["response_id"] = response_id
            if row["date"] is not None:
                row["date"] = date.fromisoformat(row["date"])
        if rows:
            bind.execute(answers.insert(), rows)
    op.drop_table("pending_answers")
    op.create_table(
        "deleted_responses",
        sa.Column("deletion_hash", sa.String(length=64), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_deleted_responses_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deletion_hash", name=op.f("pk_deleted_responses")),
    )

    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item", sa.String(length=40), server_default="", nullable=False)
        )
    _name_items(bind)
    # Copies of one value (two « Send » at once, before this constraint): the oldest stays, with
    # the committee's codes of every copy.
    copy = (
        "EXISTS (SELECT 1 FROM answers AS older WHERE older.response_id = answers.response_id "
        "AND older.question_id = answers.question_id AND older.item = answers.item "
        "AND older.id < answers.id)"
    )
    oldest = (
        "SELECT min(older.id) FROM answers AS older WHERE older.response_id = answers.response_id "
        "AND older.question_id = answers.question_id AND older.item = answers.item"
    )
    copies = (
        f"SELECT ({oldest}) AS kept, answer_codes.code_id AS code_id, "
        "answer_codes.tagged_at AS tagged_at FROM answer_codes "
        f"JOIN answers ON answers.id = answer_codes.answer_id WHERE {copy}"
    )
    bind.execute(
        sa.text(
            "INSERT INTO answer_codes (answer_id, code_id, tagged_by, tagged_at) "  # noqa: S608
            f"SELECT copies.kept, copies.code_id, NULL, min(copies.tagged_at) FROM ({copies}) "
            "AS copies WHERE NOT EXISTS (SELECT 1 FROM answer_codes AS present "
            "WHERE present.answer_id = copies.kept AND present.code_id = copies.code_id) "
            "GROUP BY copies.kept, copies.code_id"
        )
    )
    bind.execute(
        sa.text(
            "DELETE FROM answer_codes WHERE answer_id IN "  # noqa: S608
            f"(SELECT answers.id FROM answers WHERE {copy})"
        )
    )
    bind.execute(sa.text(f"DELETE FROM answers WHERE {copy}"))  # noqa: S608
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index("ix_answers_response_id")
        batch_op.drop_index("ix_answers_question")
        batch_op.create_index(
            "ix_answers_question",
            ["question_id", "row_id", "choice_id", "position", "number", "nis", "response_id"],
            unique=False,
        )
        batch_op.create_unique_constraint(
            "uq_answers_one_value_per_item", ["response_id", "question_id", "item"]
        )


def _name_items(bind) -> None:
    """Each version's questions of several values, their rows' item set from the value that
    tells them apart."""
    answers = sa.table(
        "answers",
        sa.column("response_id", sa.Integer),
        sa.column("question_id", sa.String),
        sa.column("item", sa.String),
        sa.column("choice_id", sa.String),
        sa.column("row_id", sa.String),
        sa.column("position", sa.Integer),
    )
    for version_id, definition in bind.execute(
        sa.text("SELECT id, definition FROM survey_versions")
    ).all():
        if isinstance(definition, str):
            definition = json.loads(definition)
        by_type: dict[str, list[str]] = {}
        for page in definition.get("pages", []):
            for question in page.get("questions", []):
                if question.get("type") in ITEM:
                    by_type.setdefault(question["type"], []).append(question["id"])
        responses = sa.select(sa.column("id")).select_from(sa.table("responses")).where(
            sa.column("version_id") == version_id
        )
        for kind, questions in by_type.items():
            value = answers.c[ITEM[kind]]
            bind.execute(
                answers.update()
                .where(answers.c.question_id.in_(questions))
                .where(answers.c.response_id.in_(responses))
                .values(item=sa.cast(value, sa.String) if kind == "ranking" else value)
            )


def downgrade():
    op.drop_table("deleted_responses")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_answers_one_value_per_item", type_="unique")
        batch_op.drop_index("ix_answers_question")
        batch_op.create_index("ix_answers_question", ["question_id", "choice_id"], unique=False)
        batch_op.create_index("ix_answers_response_id", ["response_id"], unique=False)
        batch_op.drop_column("item")
    op.create_table(
        "pending_answers",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_pending_answers_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_pending_answers")),
    )
