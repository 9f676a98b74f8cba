"""baseline schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("full_name", sa.String(255)),
        sa.Column(
            "role",
            postgresql.ENUM("writer", "editor", "admin", name="userrole", create_type=False),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()")),
    )
    op.create_table(
        "writing_styles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column(
            "style_type",
            postgresql.ENUM(
                "narrative",
                "technical",
                "persuasive",
                "academic",
                "other",
                name="styletype",
                create_type=False,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text()),
    )
    op.create_table(
        "outputs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column(
            "output_type",
            postgresql.ENUM(
                "grant_proposal",
                "letter_of_inquiry",
                "grant_report",
                "other",
                name="outputtype",
                create_type=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            postgresql.ENUM(
                "draft",
                "submitted",
                "pending",
                "awarded",
                "not_awarded",
                name="outputstatus",
                create_type=False,
            ),
            nullable=False,
        ),
        sa.Column("writing_style_id", sa.Integer(), sa.ForeignKey("writing_styles.id")),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id")),
    )


def downgrade() -> None:
    op.drop_table("outputs")
    op.drop_table("writing_styles")
    op.drop_table("users")
