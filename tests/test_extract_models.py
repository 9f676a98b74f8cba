"""Tests for the Python model front-end (``schemalint.extract.models``)."""

from __future__ import annotations

import re
import textwrap
import types
from typing import Any

import pytest

from schemalint.extract.models import extract_python_module, module_name_for
from schemalint.facts import (
    AutoValue,
    ColumnType,
    EnumClassDef,
    EnumMemberDef,
    ImportDef,
    ModelClassDef,
    ModelColumn,
    PureExpr,
    PythonModuleFacts,
    Ref,
    Span,
    ValuesCallable,
)

PATH = "app/models/user.py"
MODULE = "app.models.user"


def extract(source: str, path: str = PATH, module: str = MODULE) -> PythonModuleFacts:
    return extract_python_module(textwrap.dedent(source), path, module)


def enum_of(facts: PythonModuleFacts, name: str) -> EnumClassDef:
    return next(e for e in facts.enums if e.name == name)


def class_of(facts: PythonModuleFacts, name: str) -> ModelClassDef:
    return next(c for c in facts.classes if c.name == name)


def column_of(facts: PythonModuleFacts, cls: str, attribute: str) -> ModelColumn:
    return next(c for c in class_of(facts, cls).columns if c.attribute == attribute)


def ref(name: str) -> Ref:
    return Ref(name, MODULE)


def span_of(source: str, snippet: str, occurrence: int = 0) -> Span:
    """The span of ``snippet`` in ``source`` (single line), found by text search."""
    start = -1
    for _ in range(occurrence + 1):
        start = source.index(snippet, start + 1)
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    return Span(PATH, line, column, line, column + len(snippet))


def members(enum: EnumClassDef) -> list[tuple[str, object]]:
    return [(m.name, m.value) for m in enum.members]


SA_HEADER = """\
import enum
from typing import Literal, Optional
import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Column, Enum, Integer, String, Table, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UserRole(str, enum.Enum):
    WRITER = "writer"
    ADMIN = "admin"


class Base(DeclarativeBase):
    pass
"""


def extract_model(body: str, imports: str = "") -> PythonModuleFacts:
    """A declarative ``User`` model with ``body`` as its class body, after SA_HEADER and ``imports``."""
    source = (
        SA_HEADER
        + imports
        + "\n\nclass User(Base):\n    __tablename__ = 'users'\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
    )
    return extract_python_module(source, PATH, MODULE)


# ------------------------------------------------------------------------------------ module names


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("backend/app/db/models.py", "backend.app.db.models"),
        ("pkg/__init__.py", "pkg"),
        ("models.py", "models"),
        ("./app/models.py", "app.models"),
        ("app/types.pyi", "app.types"),
    ],
)
def test_module_name_for_project_relative_path(path: str, expected: str) -> None:
    assert module_name_for(path) == expected


# ------------------------------------------------------------------------------------ imports


def test_imports_are_recorded_with_absolute_dotted_targets() -> None:
    facts = extract(
        """
        import enum
        import sqlalchemy as sa
        import os.path
        import xml.etree.ElementTree as ET
        from app.models.enums import UserRole as UR, Color
        from sqlalchemy.dialects import postgresql
        """
    )
    assert facts.imports == (
        ImportDef("enum", "enum"),
        ImportDef("sa", "sqlalchemy"),
        ImportDef("os", "os"),
        ImportDef("ET", "xml.etree.ElementTree"),
        ImportDef("UR", "app.models.enums.UserRole"),
        ImportDef("Color", "app.models.enums.Color"),
        ImportDef("postgresql", "sqlalchemy.dialects.postgresql"),
    )


def test_relative_imports_resolve_against_the_module_package() -> None:
    facts = extract(
        """
        from .enums import Role
        from . import enums
        from ..core.types import Money
        """
    )
    assert facts.imports == (
        ImportDef("Role", "app.models.enums.Role"),
        ImportDef("enums", "app.models.enums"),
        ImportDef("Money", "app.core.types.Money"),
    )


def test_relative_imports_in_package_init_resolve_against_the_package_itself() -> None:
    facts = extract(
        "from .enums import Role\nfrom . import base\n", path="app/models/__init__.py", module="app.models"
    )
    assert facts.imports == (ImportDef("Role", "app.models.enums.Role"), ImportDef("base", "app.models.base"))


def test_imports_under_type_checking_and_try_blocks_are_recorded() -> None:
    facts = extract(
        """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from app.models.team import Team
        try:
            from enum import StrEnum
        except ImportError:
            from strenum import StrEnum
        """
    )
    assert ImportDef("Team", "app.models.team.Team") in facts.imports
    assert ImportDef("StrEnum", "strenum.StrEnum") in facts.imports


def test_star_import_is_recorded_with_star_local_name() -> None:
    assert extract("from app.enums import *\n").imports == (ImportDef("*", "app.enums"),)


# ------------------------------------------------------------------------------------ constants and bases


def test_module_constants_are_recorded_in_order() -> None:
    facts = extract(
        """
        PREFIX = "role"
        ROLES = ("writer", "admin")
        ALL = ROLES + ("guest",)
        NAME = PREFIX + "_t"
        engine = create_engine("sqlite://")
        """
    )
    assert facts.constants == (
        ("PREFIX", "role"),
        ("ROLES", ("writer", "admin")),
        ("ALL", ("writer", "admin", "guest")),
        ("NAME", "role_t"),
    )


def test_class_bases_are_recorded_as_written_for_every_top_level_class() -> None:
    facts = extract(
        """
        import enum
        class UserRole(str, enum.Enum):
            A = "a"
        class User(Base, TimestampMixin):
            __tablename__ = "users"
        class Plain:
            pass
        """
    )
    assert facts.class_bases == (
        ("UserRole", (ref("str"), ref("enum.Enum"))),
        ("User", (ref("Base"), ref("TimestampMixin"))),
        ("Plain", ()),
    )


# ------------------------------------------------------------------------------------ enums


def test_str_enum_members_keep_order_and_values() -> None:
    facts = extract(
        """
        import enum
        class UserRole(str, enum.Enum):
            WRITER = "writer"
            ADMIN = "admin"
            GUEST = "guest-with-long-value"
        """
    )
    role = enum_of(facts, "UserRole")
    assert role.qualname == "app.models.user.UserRole"
    assert role.bases == (ref("str"), ref("enum.Enum"))
    assert members(role) == [("WRITER", "writer"), ("ADMIN", "admin"), ("GUEST", "guest-with-long-value")]


def test_strenum_intenum_and_auto_values() -> None:
    facts = extract(
        """
        import enum
        from enum import IntEnum, StrEnum, auto
        class Color(StrEnum):
            RED = auto()
            GREEN = enum.auto()
        class Priority(IntEnum):
            LOW = 1
            HIGH = 2
        """
    )
    assert members(enum_of(facts, "Color")) == [("RED", AutoValue()), ("GREEN", AutoValue())]
    assert members(enum_of(facts, "Priority")) == [("LOW", 1), ("HIGH", 2)]


def test_aliases_are_kept_as_separate_members() -> None:
    facts = extract(
        """
        from enum import Enum
        class Aliased(Enum):
            PRIMARY = "p"
            SECONDARY = "s"
            MAIN = "p"
            FIRST = PRIMARY
        """
    )
    assert members(enum_of(facts, "Aliased")) == [
        ("PRIMARY", "p"),
        ("SECONDARY", "s"),
        ("MAIN", "p"),
        ("FIRST", "p"),
    ]


def test_enum_members_skip_dunders_sunders_methods_nested_classes_and_ignored_names() -> None:
    facts = extract(
        """
        import enum
        from enum import nonmember
        class Status(str, enum.Enum):
            _ignore_ = ["tmp"]
            __doc__ = "statuses"
            _order_ = "OPEN CLOSED"
            label: str
            OPEN = "open"
            CLOSED: str = "closed"
            tmp = "x"
            __private = "hidden"
            helper = lambda self: 1
            LIMIT = nonmember(3)
            class Meta:
                X = 1
            def describe(self) -> str:
                return self.value
            @property
            def upper(self) -> str:
                return self.value.upper()
        """
    )
    assert members(enum_of(facts, "Status")) == [("OPEN", "open"), ("CLOSED", "closed")]


def test_member_values_use_module_constants() -> None:
    facts = extract(
        """
        import enum
        PREFIX = "role"
        class Role(enum.Enum):
            A = PREFIX + "_a"
            B = f"{PREFIX}_b"
            C = ("tuple", 1)
        """
    )
    assert members(enum_of(facts, "Role")) == [("A", "role_a"), ("B", "role_b"), ("C", ("tuple", 1))]


def test_unevaluable_member_is_recorded_unresolved() -> None:
    facts = extract(
        """
        import enum
        class Role(enum.Enum):
            A = compute()
            B = "b"
        """
    )
    first, second = enum_of(facts, "Role").members
    assert (first.name, first.value, first.resolved) == ("A", None, False)
    assert second.resolved


def test_class_with_unknown_base_is_an_enum_candidate_resolved_later() -> None:
    facts = extract(
        """
        from app.enums import BaseRole
        class StaffRole(BaseRole):
            MANAGER = "manager"
        """
    )
    assert members(enum_of(facts, "StaffRole")) == [("MANAGER", "manager")]
    assert facts.classes == ()  # no columns, no table: nothing for a model to take from it


def test_classes_with_only_non_enum_bases_are_not_enums() -> None:
    facts = extract(
        """
        from pydantic import BaseModel
        from typing import NamedTuple
        class A(str):
            X = "x"
        class B(BaseModel):
            x: int = 1
        class C(NamedTuple):
            x: int
        class D:
            X = 1
        """
    )
    assert facts.enums == ()
    assert facts.classes == ()


def test_functional_enum_api_is_an_enum() -> None:
    facts = extract(
        """
        from enum import Enum
        Color = Enum("Color", "RED GREEN")
        Size = Enum("Size", [("S", "small"), ("L", "large")], type=str)
        """
    )
    assert members(enum_of(facts, "Color")) == [("RED", AutoValue()), ("GREEN", AutoValue())]
    size = enum_of(facts, "Size")
    assert members(size) == [("S", "small"), ("L", "large")]
    assert size.bases == (ref("str"), ref("Enum"))


def test_enum_member_span_covers_the_assignment() -> None:
    facts = extract("import enum\nclass Role(enum.Enum):\n    WRITER = 'writer'\n")
    role = enum_of(facts, "Role")
    assert role.span == Span(PATH, 2, 7, 2, 11)
    assert role.members[0].span == Span(PATH, 3, 5, 3, 22)


# ------------------------------------------------------------------------------------ Column / mapped_column


def test_seed_column_with_sqlenum_alias_not_null_and_member_default() -> None:
    source = (
        "import enum\n"
        "from sqlalchemy import Column, Enum as SQLEnum\n"
        "from app.db.base import Base\n"
        "from app.models.enums import UserRole\n"
        "\n"
        "class Article(Base):\n"
        "    __tablename__ = 'articles'\n"
        "    role = Column(SQLEnum(UserRole), nullable=False, default=UserRole.WRITER)\n"
    )
    facts = extract_python_module(source, "backend/app/db/models.py", "backend.app.db.models")
    article = next(c for c in facts.classes if c.name == "Article")
    assert article.table == "articles"
    assert article.bases == (Ref("Base", "backend.app.db.models"),)
    (role,) = article.columns
    path = "backend/app/db/models.py"
    assert role.span == Span(path, 8, 12, 8, 78)
    assert role.enum is not None
    assert role.enum.enum_ref == Ref("UserRole", "backend.app.db.models")
    assert role.enum.span == Span(path, 8, 19, 8, 36)
    assert (role.enum.native_enum, role.enum.values_callable, role.enum.name) == (True, None, None)
    assert role.nullable is False
    (default,) = role.defaults
    assert default.member == Ref("UserRole.WRITER", "backend.app.db.models")
    assert default.span == Span(path, 8, 62, 8, 77)
    assert not default.server
    assert facts.enums == ()  # Article has __tablename__: a model, not an enum candidate


def test_mapped_column_enum_with_values_callable_lambda() -> None:
    facts = extract_model(
        """
        role: Mapped[UserRole] = mapped_column(Enum(UserRole, values_callable=lambda x: [e.value for e in x]))
        """
    )
    role = column_of(facts, "User", "role")
    assert role.enum is not None
    assert role.enum.values_callable == ValuesCallable(("value",), "lambda x: [e.value for e in x]")
    assert role.nullable is False
    assert role.annotation_enum is None  # an explicit type wins over the annotation


@pytest.mark.parametrize(
    ("expression", "steps"),
    [
        ("lambda x: [e.value for e in x]", ("value",)),
        ("lambda x: [str(e.value) for e in x]", ("value", "str")),
        ("lambda x: [e.name.lower() for e in x]", ("name", "lower")),
        ("lambda x: [m.value.lower() for m in x]", ("value", "lower")),
        ("lambda x: list(map(lambda e: e.value, x))", ("value",)),
        ("lambda enum_cls: [member.value for member in enum_cls]", ("value",)),
        ("lambda x: list(e.value for e in x)", ("value",)),
        ("lambda x: [f'{e.value}' for e in x]", ("value", "str")),
    ],
)
def test_values_callable_is_reduced_to_member_steps(expression: str, steps: tuple[str, ...]) -> None:
    facts = extract_model(f"role = Column(sa.Enum(UserRole, values_callable={expression}))\n")
    enum = column_of(facts, "User", "role").enum
    assert enum is not None
    assert enum.values_callable == ValuesCallable(steps, expression)
    assert facts.diagnostics == ()


def test_values_callable_module_function_referenced_by_name() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from app.db.base import Base
        from app.enums import UserRole

        def enum_values(enum_cls):
            \"\"\"Member values, in order.\"\"\"
            return [m.value for m in enum_cls]

        VALUES = lambda e: [m.name for m in e]

        class User(Base):
            __tablename__ = "users"
            role = sa.Column(sa.Enum(UserRole, values_callable=enum_values))
            other = sa.Column(sa.Enum(UserRole, values_callable=VALUES))
        """
    )
    role, other = class_of(facts, "User").columns
    assert role.enum is not None and role.enum.values_callable == ValuesCallable(("value",), "enum_values")
    assert other.enum is not None and other.enum.values_callable == ValuesCallable(("name",), "VALUES")


def test_imported_values_callable_is_left_unresolved_for_the_graph_without_diagnostic() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from app.db.base import Base
        from app.db.utils import enum_values
        from app.enums import UserRole
        class User(Base):
            __tablename__ = "users"
            role = sa.Column(sa.Enum(UserRole, values_callable=enum_values))
        """
    )
    enum = column_of(facts, "User", "role").enum
    assert enum is not None
    assert enum.values_callable == ValuesCallable((), "app.db.utils.enum_values", unresolved=True)
    assert facts.diagnostics == ()


def test_unresolvable_values_callable_reports_sl004() -> None:
    facts = extract_model(
        "role = Column(Enum(UserRole, values_callable=lambda x: sorted(e.value for e in x)))\n"
    )
    enum = column_of(facts, "User", "role").enum
    assert enum is not None and enum.values_callable is not None
    assert enum.values_callable.unresolved and enum.values_callable.steps == ()
    assert enum.values_callable.source == "lambda x: sorted(e.value for e in x)"
    (diag,) = facts.diagnostics
    assert diag.code == "SL004"
    assert "`lambda x: sorted(e.value for e in x)`" in diag.message
    assert "`User.role`" in diag.message


def test_enum_values_from_an_unknown_call_report_sl004_naming_expression_and_column() -> None:
    facts = extract_model("status = Column(sa.Enum(*get_values(), name='status'))\n")
    enum = column_of(facts, "User", "status").enum
    assert enum is not None and enum.literals is None and enum.name == "status"
    (diag,) = facts.diagnostics
    assert diag.code == "SL004"
    assert "`*get_values()`" in diag.message and "`User.status`" in diag.message
    assert diag.span == Span(PATH, 19, 29, 19, 42)


def test_string_form_enum_reads_literals_and_spread_constants() -> None:
    source = SA_HEADER + (
        "STATUSES = ('draft', 'published')\n"
        "class Post(Base):\n"
        "    __tablename__ = 'posts'\n"
        "    status = Column(Enum(*STATUSES, 'archived', name='post_status'))\n"
        "    kind = Column(Enum('a', 'b'))\n"
    )
    facts = extract_python_module(source, PATH, MODULE)
    status = column_of(facts, "Post", "status").enum
    assert status is not None
    assert (status.literals, status.name, status.enum_ref) == (
        ("draft", "published", "archived"),
        "post_status",
        None,
    )
    kind = column_of(facts, "Post", "kind").enum
    assert kind is not None and (kind.literals, kind.name) == (("a", "b"), None)


def test_enum_keywords_are_read() -> None:
    facts = extract_model(
        """
        role = Column(
            Enum(
                UserRole,
                native_enum=False,
                create_constraint=True,
                length=50,
                name="user_role",
                validate_strings=True,
                omit_aliases=False,
            )
        )
        """
    )
    enum = column_of(facts, "User", "role").enum
    assert enum is not None
    assert (enum.native_enum, enum.create_constraint, enum.length, enum.name) == (
        False,
        True,
        50,
        "user_role",
    )
    assert (enum.validate_strings, enum.omit_aliases) == (True, False)


def test_unreadable_enum_keyword_reports_sl004() -> None:
    facts = extract_model("role = Column(Enum(UserRole, native_enum=settings.NATIVE))\n")
    (diag,) = facts.diagnostics
    assert diag.code == "SL004" and "`native_enum`" in diag.message and "`settings.NATIVE`" in diag.message


def test_dialect_enum_classes_record_dialect_and_create_type() -> None:
    facts = extract_model(
        """
        from_pg = Column(sa.dialects.postgresql.ENUM(UserRole, name="userrole", create_type=False))
        from_mysql = Column(sa.dialects.mysql.ENUM("a", "b"))
        """
    )
    pg = column_of(facts, "User", "from_pg").enum
    assert pg is not None and (pg.dialect_type, pg.create_type, pg.name) == ("postgresql", False, "userrole")
    mysql = column_of(facts, "User", "from_mysql").enum
    assert mysql is not None and (mysql.dialect_type, mysql.literals) == ("mysql", ("a", "b"))


def test_dialect_enum_imported_by_name() -> None:
    facts = extract(
        """
        from sqlalchemy import Column
        from sqlalchemy.dialects.postgresql import ENUM
        from app.db import Base
        class User(Base):
            __tablename__ = "users"
            role = Column(ENUM("a", "b", name="r", create_type=False))
        """
    )
    enum = column_of(facts, "User", "role").enum
    assert enum is not None and (enum.dialect_type, enum.create_type) == ("postgresql", False)


def test_python_enum_named_enum_is_not_mistaken_for_sqlalchemy_enum() -> None:
    facts = extract(
        """
        from enum import Enum
        from sqlalchemy import Column, Enum as SAEnum
        from app.db import Base
        class Role(str, Enum):
            A = "a"
        class User(Base):
            __tablename__ = "users"
            role = Column(SAEnum(Role))
        """
    )
    assert members(enum_of(facts, "Role")) == [("A", "a")]
    enum = column_of(facts, "User", "role").enum
    assert enum is not None and enum.enum_ref == ref("Role")


def test_module_level_enum_type_object_reused_by_columns() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from app.db import Base
        from app.enums import Role
        ROLE_TYPE = sa.Enum(Role, name="role_t", values_callable=lambda x: [e.value for e in x])
        class User(Base):
            __tablename__ = "users"
            role = sa.Column(ROLE_TYPE, nullable=False)
        """
    )
    enum = column_of(facts, "User", "role").enum
    assert enum is not None and (enum.enum_ref, enum.name) == (ref("Role"), "role_t")
    assert enum.values_callable is not None and enum.values_callable.steps == ("value",)


def test_with_variant_reads_the_default_type() -> None:
    facts = extract_model("role = Column(Enum(UserRole).with_variant(String(10), 'sqlite'))\n")
    enum = column_of(facts, "User", "role").enum
    assert enum is not None and enum.enum_ref == ref("UserRole")


def test_column_name_from_first_positional_string_or_name_keyword() -> None:
    facts = extract_model(
        """
        role = sa.Column("db_role", Enum(UserRole))
        kind: Mapped[str] = mapped_column("db_kind", String(20))
        other = Column(Integer, name="db_other")
        """
    )
    assert [(c.attribute, c.name) for c in class_of(facts, "User").columns] == [
        ("role", "db_role"),
        ("kind", "db_kind"),
        ("other", "db_other"),
    ]


def test_mapped_annotation_decides_nullability_unless_mapped_column_says_otherwise() -> None:
    facts = extract_model(
        """
        id: Mapped[int] = mapped_column(primary_key=True)
        required: Mapped[UserRole]
        optional: Mapped[Optional[UserRole]]
        union: Mapped[UserRole | None] = mapped_column()
        forced: Mapped[Optional[UserRole]] = mapped_column(nullable=False)
        legacy = Column(Enum(UserRole))
        legacy_pk = Column(Integer, primary_key=True)
        annotated_column: Mapped[Optional[int]] = Column(Integer, nullable=False)
        """
    )
    nullable = {c.attribute: c.nullable for c in class_of(facts, "User").columns}
    assert nullable == {
        "id": False,
        "required": False,
        "optional": True,
        "union": True,
        "forced": False,
        "legacy": True,
        "legacy_pk": False,
        "annotated_column": False,
    }
    assert column_of(facts, "User", "id").primary_key


def test_mapped_enum_without_explicit_type_records_annotation_enum() -> None:
    facts = extract_model(
        """
        role: Mapped[UserRole]
        imported: Mapped["enums.Color"] = mapped_column(default=None)
        """
    )
    role = column_of(facts, "User", "role")
    assert (role.enum, role.annotation_enum) == (None, ref("UserRole"))
    assert role.span == Span(PATH, 20, 5, 20, 9)  # annotation-only: the target
    assert column_of(facts, "User", "imported").annotation_enum == ref("enums.Color")


def test_mapped_literal_records_annotation_literals() -> None:
    facts = extract_model(
        """
        status: Mapped[Literal["draft", "published"]]
        maybe: Mapped[Optional[Literal["a", "b"]]] = mapped_column()
        numbers: Mapped[Literal[1, 2]]
        """
    )
    status = column_of(facts, "User", "status")
    assert (status.annotation_literals, status.nullable, status.annotation_alias) == (
        ("draft", "published"),
        False,
        None,
    )
    maybe = column_of(facts, "User", "maybe")
    assert (maybe.annotation_literals, maybe.nullable) == (("a", "b"), True)
    assert column_of(facts, "User", "numbers").annotation_literals is None


def test_literal_alias_records_literals_and_the_alias_name() -> None:
    facts = extract(
        """
        from typing import Literal, TypeAlias
        from sqlalchemy.orm import Mapped
        from app.db import Base
        Status = Literal["draft", "published"]
        Kind: TypeAlias = Literal["x"]
        class Post(Base):
            __tablename__ = "posts"
            status: Mapped[Status]
            kind: Mapped[Kind | None]
        """
    )
    status = column_of(facts, "Post", "status")
    assert (status.annotation_literals, status.annotation_alias) == (("draft", "published"), ref("Status"))
    kind = column_of(facts, "Post", "kind")
    assert (kind.annotation_literals, kind.nullable) == (("x",), True)


def test_annotated_alias_with_mapped_column_is_applied() -> None:
    facts = extract(
        """
        from typing import Annotated
        import sqlalchemy as sa
        from sqlalchemy.orm import Mapped, mapped_column
        from app.db import Base
        from app.enums import Role
        intpk = Annotated[int, mapped_column(primary_key=True)]
        role_col = Annotated[Role, mapped_column(sa.Enum(Role, name="role_t"))]
        class User(Base):
            __tablename__ = "users"
            id: Mapped[intpk]
            role: Mapped[role_col] = mapped_column(nullable=True)
        """
    )
    id_col = column_of(facts, "User", "id")
    assert (id_col.primary_key, id_col.nullable, id_col.type) == (
        True,
        False,
        ColumnType("integer", "Integer"),
    )
    role = column_of(facts, "User", "role")
    assert role.enum is not None and role.enum.name == "role_t"
    assert role.nullable is True


def test_quoted_annotations_are_read() -> None:
    facts = extract_model(
        """
        role: "Mapped[UserRole]"
        other: Mapped["UserRole | None"]
        """
    )
    assert column_of(facts, "User", "role").annotation_enum == ref("UserRole")
    other = column_of(facts, "User", "other")
    assert (other.annotation_enum, other.nullable) == (ref("UserRole"), True)


def test_relationships_properties_classvars_and_methods_are_not_columns() -> None:
    facts = extract_model(
        """
        id: Mapped[int] = mapped_column(primary_key=True)
        posts = relationship("Post")
        team: Mapped["Team"] = relationship(back_populates="users")
        feed: WriteOnlyMapped["Post"] = relationship()
        upper_name = column_property(sa.func.upper("x"))
        registry_name: ClassVar[str] = "users"
        __table_args__ = {"schema": "app"}
        __mapper_args__ = {"eager_defaults": True}

        def display(self) -> str:
            return str(self.id)

        @property
        def label(self) -> str:
            return "x"
        """,
        imports="from typing import ClassVar\nfrom sqlalchemy.orm import column_property, WriteOnlyMapped\n",
    )
    assert [c.attribute for c in class_of(facts, "User").columns] == ["id"]


def test_non_enum_column_types_from_explicit_types_and_annotations() -> None:
    facts = extract_model(
        """
        name = Column(String(50))
        title = Column(sa.String(length=80))
        count: Mapped[int]
        created: Mapped[datetime]
        ts = Column(sa.DateTime(timezone=True))
        uid: Mapped[uuid.UUID]
        flag: Mapped[bool] = mapped_column(sa.Boolean)
        data = Column(sa.dialects.postgresql.JSONB)
        price = Column(sa.Numeric(10, 2))
        blob = Column(sa.PickleType)
        custom = Column(MyType())
        """,
        imports="from datetime import datetime\nimport uuid\n",
    )
    types_by_attr = {c.attribute: c.type for c in class_of(facts, "User").columns}
    assert types_by_attr == {
        "name": ColumnType("text", "String", length=50),
        "title": ColumnType("text", "String", length=80),
        "count": ColumnType("integer", "Integer"),
        "created": ColumnType("timestamp", "DateTime"),
        "ts": ColumnType("timestamp", "DateTime", timezone=True),
        "uid": ColumnType("uuid", "Uuid"),
        "flag": ColumnType("boolean", "Boolean"),
        "data": ColumnType("json", "JSONB"),
        "price": ColumnType("numeric", "Numeric"),
        "blob": ColumnType("other", "PickleType"),
        "custom": ColumnType("unknown", "MyType"),
    }


def test_defaults_literal_member_callable_and_server_side() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from datetime import datetime
        from app.db import Base
        from app.enums import UserRole
        DEFAULT_ROLE = UserRole.ADMIN
        class User(Base):
            __tablename__ = "users"
            a = sa.Column(sa.String, default="writer")
            b = sa.Column(sa.Enum(UserRole), default=UserRole.WRITER, server_default="WRITER")
            c = sa.Column(sa.String, default=lambda: "x")
            d = sa.Column(sa.DateTime, default=datetime.utcnow, server_default=sa.func.now())
            e = sa.Column(sa.String, server_default=sa.text("'writer'"))
            f = sa.Column(sa.Enum(UserRole), default=DEFAULT_ROLE)
            g = sa.Column(sa.String, default=UserRole.WRITER.value, server_default=UserRole.ADMIN.name)
        """
    )
    defaults = {c.attribute: c.defaults for c in class_of(facts, "User").columns}
    (a,) = defaults["a"]
    assert (a.literal, a.is_literal, a.server) == ("writer", True, False)
    b_default, b_server = defaults["b"]
    assert b_default.member == ref("UserRole.WRITER")
    assert (b_server.literal, b_server.server) == ("WRITER", True)
    (c,) = defaults["c"]
    assert (c.member, c.is_literal, c.expression) == (None, False, 'lambda: "x"')
    d_default, d_server = defaults["d"]
    assert (d_default.member, d_default.expression) == (None, "datetime.utcnow")
    assert (d_server.server, d_server.expression) == (True, "sa.func.now()")
    (e,) = defaults["e"]
    assert (e.server, e.expression, e.is_literal) == (True, "'writer'", False)  # the SQL inside text()
    (f,) = defaults["f"]
    assert f.member == ref("UserRole.ADMIN")
    g_default, g_server = defaults["g"]
    assert (g_default.member, g_default.member_attribute) == (None, ref("UserRole.WRITER.value"))
    assert (g_server.member, g_server.member_attribute) == (None, ref("UserRole.ADMIN.name"))


def test_column_level_check_constraint_is_a_class_check() -> None:
    facts = extract_model(
        "kind = Column(String(5), CheckConstraint(\"kind IN ('a', 'b')\", name='ck_kind'))\n"
    )
    (check,) = class_of(facts, "User").checks
    assert (check.name, check.expression) == ("ck_kind", "kind IN ('a', 'b')")
    assert column_of(facts, "User", "kind").type == ColumnType("text", "String", length=5)


def test_deferred_column_is_a_column() -> None:
    facts = extract_model(
        "bio = deferred(Column(sa.Text))\n", imports="from sqlalchemy.orm import deferred\n"
    )
    assert column_of(facts, "User", "bio").type == ColumnType("text", "Text")


def test_declared_attr_returning_a_column_in_a_mixin() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import declared_attr
        from app.enums import Role
        class RoleMixin:
            @declared_attr
            def role(cls):
                return sa.Column(sa.Enum(Role), nullable=False)
            @declared_attr.directive
            def __tablename__(cls) -> str:
                return cls.__name__.lower()
        """
    )
    mixin = class_of(facts, "RoleMixin")
    assert mixin.table is None and mixin.bases == ()
    (role,) = mixin.columns
    assert role.enum is not None and role.enum.enum_ref == ref("Role") and role.nullable is False
    assert facts.enums == ()


def test_computed_tablename_outside_the_evaluated_subset_is_reported_once_at_the_declaring_class() -> None:
    source = textwrap.dedent(
        """
        from sqlalchemy.orm import DeclarativeBase, declared_attr
        class Base(DeclarativeBase):
            @declared_attr.directive
            def __tablename__(cls) -> str:
                if cls.__name__.endswith("Line"):
                    return "lines"
                return cls.__name__.lower()
        class OrderLine(Base):
            pass
        """
    )
    facts = extract_python_module(source, PATH, MODULE)
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004"
    assert "`Base.__tablename__`" in diagnostic.message
    assert diagnostic.span == span_of(source, "__tablename__")
    assert "`if cls.__name__.endswith('Line'):` is not a plain local assignment" in diagnostic.help
    base = class_of(facts, "Base")
    assert base.table_rule is None and base.table_declared
    assert class_of(facts, "OrderLine").table is None


def test_computed_tablename_is_kept_as_a_rule_that_calls_helpers_by_reference() -> None:
    source = textwrap.dedent(
        """
        from sqlalchemy.orm import DeclarativeBase, declared_attr
        from app.naming import snake_case
        class Base(DeclarativeBase):
            @declared_attr.directive
            def __tablename__(cls) -> str:
                "Plural snake case."
                name = snake_case(cls.__name__)
                return name + "s"
        """
    )
    facts = extract_python_module(source, PATH, MODULE)
    assert facts.diagnostics == ()
    rule = class_of(facts, "Base").table_rule
    assert rule is not None and rule.owner == "Base" and rule.span == span_of(source, "__tablename__")
    function = rule.function
    assert (function.params, [name for name, _ in function.assigns]) == (("cls",), ["name"])
    ((_, call),) = function.assigns
    assert call.op == "call" and call.args[0] == PureExpr("global", ref=ref("snake_case"))


def test_module_level_helpers_and_compiled_patterns_are_kept_for_other_modules() -> None:
    facts = extract(
        """
        import re
        import logging
        CAMEL = re.compile(r"(?<!^)(?=[A-Z])", re.ASCII)
        log = logging.getLogger(__name__)
        SUFFIX = "_" + "table"
        def snake(name):
            return CAMEL.sub("_", name).lower()
        def connect(url):
            for attempt in range(3):
                pass
            return url
        """
    )
    assert [f.name for f in facts.functions] == ["snake"]
    assert [name for name, _ in facts.values] == ["CAMEL"]  # constants are in `constants`
    ((_, camel),) = facts.values
    assert camel == PureExpr(
        "builtin",
        (PureExpr("const", value="(?<!^)(?=[A-Z])"), PureExpr("const", value=int(re.ASCII))),
        value="re.compile",
    )


def test_abstract_classes_and_declarative_base_mixins_are_recorded() -> None:
    facts = extract(
        """
        from sqlalchemy.orm import declarative_base, declared_attr
        class CustomBase:
            @declared_attr
            def __tablename__(self):
                return self.__name__.lower()
        Base = declarative_base(cls=CustomBase)
        class Timestamped(Base):
            __abstract__ = True
        """
    )
    assert class_of(facts, "Base").bases == (ref("CustomBase"),)
    assert ("Base", (ref("CustomBase"),)) in facts.class_bases
    assert class_of(facts, "Timestamped").abstract
    assert class_of(facts, "CustomBase").table_rule is not None


def test_mixin_without_bases_holding_columns_is_recorded() -> None:
    facts = extract(
        """
        from datetime import datetime
        from sqlalchemy.orm import Mapped, mapped_column
        class TimestampMixin:
            created_at: Mapped[datetime] = mapped_column()
            note: str
        """
    )
    mixin = class_of(facts, "TimestampMixin")
    assert [c.attribute for c in mixin.columns] == ["created_at"]


# ------------------------------------------------------------------------------------ declarative bases


def test_type_annotation_map_on_a_declarative_base() -> None:
    facts = extract(
        """
        import enum
        from typing import Literal
        import sqlalchemy as sa
        from sqlalchemy.ext.asyncio import AsyncAttrs
        from sqlalchemy.orm import DeclarativeBase
        from app.enums import UserRole

        class Base(AsyncAttrs, DeclarativeBase):
            type_annotation_map = {
                UserRole: sa.Enum(UserRole, values_callable=lambda x: [e.value for e in x]),
                enum.Enum: sa.Enum(enum.Enum, native_enum=False, length=40),
                Literal: sa.Enum(enum.Enum, create_constraint=True),
                str: sa.String(255),
            }
        """
    )
    base = class_of(facts, "Base")
    assert base.is_base and base.table is None
    keys = [entry.key for entry in base.type_annotation_map]
    assert keys == [ref("UserRole"), ref("enum.Enum"), ref("Literal")]
    specific, generic, literal = (entry.enum for entry in base.type_annotation_map)
    assert specific.values_callable is not None and specific.values_callable.steps == ("value",)
    assert not specific.generic
    assert (generic.generic, generic.native_enum, generic.length) == (True, False, 40)
    assert literal.create_constraint
    assert facts.enums == ()


def test_declarative_base_no_meta_is_a_base() -> None:
    facts = extract(
        "from sqlalchemy.orm import DeclarativeBaseNoMeta\nclass Base(DeclarativeBaseNoMeta):\n    pass\n"
    )
    assert class_of(facts, "Base").is_base


def test_module_level_type_map_dict_referenced_by_the_base() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import DeclarativeBase
        from app.enums import Role
        TYPE_MAP = {Role: sa.Enum(Role, name="role_t")}
        class Base(DeclarativeBase):
            type_annotation_map = TYPE_MAP
        """
    )
    (entry,) = class_of(facts, "Base").type_annotation_map
    assert (entry.key, entry.enum.name) == (ref("Role"), "role_t")


def test_declarative_base_function_and_registry_bases() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import declarative_base, registry, DeclarativeBase
        from app.enums import Role
        Base = declarative_base()
        Legacy = registry().generate_base()
        mapper_registry = registry(type_annotation_map={Role: sa.Enum(Role, native_enum=False)})
        Mapped2 = mapper_registry.generate_base()
        class Modern(DeclarativeBase):
            registry = registry(type_annotation_map={Role: sa.Enum(Role, name="r")})
        class User(Base):
            __tablename__ = "users"
            id = sa.Column(sa.Integer, primary_key=True)
        """
    )
    assert [c.name for c in facts.classes if c.is_base] == ["Base", "Legacy", "Mapped2", "Modern"]
    (entry,) = class_of(facts, "Mapped2").type_annotation_map
    assert entry.enum.native_enum is False
    (modern_entry,) = class_of(facts, "Modern").type_annotation_map
    assert modern_entry.enum.name == "r"
    assert class_of(facts, "Base").span == Span(PATH, 5, 1, 5, 5)
    user = class_of(facts, "User")
    assert not user.is_base and user.table == "users"


def test_class_inheriting_a_local_model_is_a_model_without_its_own_table() -> None:
    source = SA_HEADER + (
        "class User(Base):\n    __tablename__ = 'users'\n    id = Column(Integer, primary_key=True)\n"
        "class Admin(User):\n    level = Column(Integer)\n"
    )
    facts = extract_python_module(source, PATH, MODULE)
    admin = class_of(facts, "Admin")
    assert (admin.table, admin.bases, [c.attribute for c in admin.columns]) == (
        None,
        (ref("User"),),
        ["level"],
    )


def test_table_assigned_in_class_body_marks_partial() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from app.db import Base, metadata, user_view
        class UserView(Base):
            __table__ = user_view
        class Account(Base):
            __table__ = sa.Table("accounts", metadata, sa.Column("kind", sa.Enum("a", "b", name="kind")))
        """
    )
    view = class_of(facts, "UserView")
    assert view.partial and view.table is None
    # A Table(...) written in the class body is read like a Core table: nothing is hidden.
    account = class_of(facts, "Account")
    assert not account.partial and account.table == "accounts"
    (kind,) = account.columns
    assert kind.enum is not None and kind.enum.literals == ("a", "b")


# ------------------------------------------------------------------------------------ __table_args__


def test_table_args_check_constraints_in_tuple_dict_and_tuple_ending_with_dict() -> None:
    source = SA_HEADER + (
        "class A(Base):\n"
        "    __tablename__ = 'a'\n"
        "    __table_args__ = (CheckConstraint(\"status IN ('x', 'y')\", name='ck_a'), {'schema': 's'})\n"
        "class B(Base):\n"
        "    __tablename__ = 'b'\n"
        "    __table_args__ = {'schema': 's'}\n"
        "class C(Base):\n"
        "    __tablename__ = 'c'\n"
        "    __table_args__ = (sa.UniqueConstraint('x'), sa.CheckConstraint(sa.text('n > 0')))\n"
    )
    facts = extract_python_module(source, PATH, MODULE)
    (a_check,) = class_of(facts, "A").checks
    assert (a_check.name, a_check.expression) == ("ck_a", "status IN ('x', 'y')")
    assert a_check.span == span_of(source, "CheckConstraint(\"status IN ('x', 'y')\", name='ck_a')")
    assert class_of(facts, "B").checks == ()
    (c_check,) = class_of(facts, "C").checks
    assert (c_check.name, c_check.expression) == (None, "n > 0")


def test_table_args_check_without_sql_front_end_keeps_expression(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_ready(*_args: Any, **_kwargs: Any) -> None:
        raise NotImplementedError

    from schemalint.extract import sql

    monkeypatch.setattr(sql, "check_from_expression", not_ready)
    source = SA_HEADER + (
        "class A(Base):\n    __tablename__ = 'a'\n    __table_args__ = (CheckConstraint(\"status IN ('x', 'y')\"),)\n"
    )
    (check,) = class_of(extract_python_module(source, PATH, MODULE), "A").checks
    assert (check.expression, check.column, check.values) == ("status IN ('x', 'y')", None, None)


def test_table_args_check_value_set_is_read_by_the_sql_front_end() -> None:
    """Needs ``schemalint.extract.sql.check_from_expression`` (the SQL front-end)."""
    source = SA_HEADER + (
        "class A(Base):\n    __tablename__ = 'a'\n    __table_args__ = (CheckConstraint(\"status IN ('x', 'y')\"),)\n"
    )
    (check,) = class_of(extract_python_module(source, PATH, MODULE), "A").checks
    assert (check.column, check.values) == ("status", ("x", "y"))


# ------------------------------------------------------------------------------------ SQLModel

SQLMODEL_HEADER = """\
import enum
from typing import Optional
from sqlmodel import SQLModel, Field, Column, Enum, Relationship
import sqlalchemy as sa


class Role(str, enum.Enum):
    A = "a"
    B = "b"
"""


def test_sqlmodel_table_fields_follow_sqlmodel_nullability() -> None:
    source = SQLMODEL_HEADER + textwrap.dedent(
        """
        class Hero(SQLModel, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
            role: Role
            backup: Role = Role.A
            maybe: Optional[Role] = None
            union: Role | None
            forced: Optional[Role] = Field(default=None, nullable=False)
            name: str = Field(max_length=40)
            team: Optional["Team"] = Relationship(back_populates="heroes")
            _private: int = 0
        """
    )
    facts = extract_python_module(source, PATH, MODULE)
    hero = class_of(facts, "Hero")
    assert hero.sqlmodel_table and hero.table == "hero"  # SQLModel's default: the class name lowercased
    nullable = {c.attribute: c.nullable for c in hero.columns}
    assert nullable == {
        "id": False,
        "role": False,
        "backup": False,
        "maybe": True,
        "union": True,
        "forced": False,
        "name": False,
    }
    role = column_of(facts, "Hero", "role")
    assert (role.annotation_enum, role.enum, role.span) == (ref("Role"), None, Span(PATH, 13, 5, 13, 9))
    (backup_default,) = column_of(facts, "Hero", "backup").defaults
    assert backup_default.member == ref("Role.A")
    (maybe_default,) = column_of(facts, "Hero", "maybe").defaults
    assert (maybe_default.literal, maybe_default.is_literal) == (None, True)
    assert column_of(facts, "Hero", "name").type == ColumnType("text", "AutoString", length=40)
    assert [e.name for e in facts.enums] == ["Role"]


def test_sqlmodel_sa_column_sa_type_and_sa_column_kwargs() -> None:
    source = SQLMODEL_HEADER + textwrap.dedent(
        """
        class Item(SQLModel, table=True):
            __tablename__ = "items"
            role: Role = Field(sa_column=Column(Enum(Role, values_callable=lambda x: [e.value for e in x])))
            kind: Role = Field(default=Role.B, sa_type=sa.Enum(Role, native_enum=False))
            code: str = Field(sa_column_kwargs={"name": "item_code", "server_default": "x", "nullable": True})
        """
    )
    facts = extract_python_module(source, PATH, MODULE)
    item = class_of(facts, "Item")
    assert item.table == "items"
    role = column_of(facts, "Item", "role")
    assert role.enum is not None and role.enum.values_callable is not None
    assert role.enum.values_callable.steps == ("value",)
    assert role.nullable is True  # sa_column is used as is: Column's default
    assert role.span == span_of(source, "Column(Enum(Role, values_callable=lambda x: [e.value for e in x]))")
    kind = column_of(facts, "Item", "kind")
    assert kind.enum is not None and kind.enum.native_enum is False and kind.nullable is False
    assert kind.defaults[0].member == ref("Role.B")
    code = column_of(facts, "Item", "code")
    assert (code.name, code.nullable) == ("item_code", True)
    assert [(d.server, d.literal) for d in code.defaults] == [(True, "x")]


def test_sqlmodel_non_table_model_is_recorded_without_table() -> None:
    source = SQLMODEL_HEADER + textwrap.dedent(
        """
        class HeroBase(SQLModel):
            role: Role
        class Hero(HeroBase, table=True):
            id: Optional[int] = Field(default=None, primary_key=True)
        """
    )
    facts = extract_python_module(source, PATH, MODULE)
    base = class_of(facts, "HeroBase")
    assert (base.sqlmodel_table, base.table, [c.attribute for c in base.columns]) == (False, None, ["role"])
    hero = class_of(facts, "Hero")
    assert (hero.sqlmodel_table, hero.table, hero.bases) == (True, "hero", (ref("HeroBase"),))


def test_class_with_imported_base_and_table_keyword_is_a_sqlmodel_table() -> None:
    facts = extract(
        """
        from app.models.base import HeroBase
        class Hero(HeroBase, table=True):
            power: str
        """
    )
    hero = class_of(facts, "Hero")
    assert (hero.sqlmodel_table, hero.table) == (True, "hero")
    assert facts.enums == ()


def test_unknown_base_with_mapped_columns_drops_plain_annotations() -> None:
    facts = extract(
        """
        from sqlalchemy.orm import Mapped, mapped_column
        from app.db import Base
        class User(Base):
            __tablename__ = "users"
            __allow_unmapped__ = True
            id: Mapped[int] = mapped_column(primary_key=True)
            cache: dict
        """
    )
    assert [c.attribute for c in class_of(facts, "User").columns] == ["id"]


def test_flask_sqlalchemy_db_model_columns_are_read() -> None:
    facts = extract(
        """
        from flask_sqlalchemy import SQLAlchemy
        from app.enums import Role
        db = SQLAlchemy()
        class User(db.Model):
            __tablename__ = "users"
            id = db.Column(db.Integer, primary_key=True)
            role = db.Column(db.Enum(Role, name="role_t"), nullable=False, server_default=Role.A.value)
        """
    )
    user = class_of(facts, "User")
    assert (user.bases, user.table) == ((ref("db.Model"),), "users")
    role = column_of(facts, "User", "role")
    assert role.enum is not None and (role.enum.enum_ref, role.enum.name, role.nullable) == (
        ref("Role"),
        "role_t",
        False,
    )
    (server,) = role.defaults
    assert (server.server, server.member, server.member_attribute) == (True, None, ref("Role.A.value"))
    assert facts.enums == ()


# ------------------------------------------------------------------------------------ Core tables


def test_core_table_is_a_model_class_with_columns_and_checks() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy import Table, Column, MetaData, CheckConstraint
        from app.enums import Role
        metadata = MetaData()
        users = Table(
            "users",
            metadata,
            Column("id", sa.Integer, primary_key=True),
            Column("role", sa.Enum(Role, name="role_t"), nullable=False),
            CheckConstraint("role <> 'X'", name="ck_role"),
        )
        """
    )
    users = class_of(facts, "users")
    assert (users.core_table, users.table, users.bases) == (True, "users", ())
    assert [(c.name, c.nullable) for c in users.columns] == [("id", False), ("role", False)]
    role = column_of(facts, "users", "role")
    assert role.enum is not None and role.enum.name == "role_t"
    (check,) = users.checks
    assert (check.name, check.expression) == ("ck_role", "role <> 'X'")


# ------------------------------------------------------------------------------------ diagnostics and spans


def test_syntax_error_reports_sl002_at_the_error() -> None:
    facts = extract_python_module("import enum\nclass Role(enum.Enum:\n    A = 1\n", PATH, MODULE)
    (diag,) = facts.diagnostics
    assert diag.code == "SL002"
    assert diag.span.path == PATH and diag.span.line == 2
    assert f"`{PATH}`" in diag.message
    assert (facts.enums, facts.classes, facts.imports) == ((), (), ())


def test_null_byte_reports_sl002() -> None:
    (diag,) = extract_python_module("x = 1\0\n", PATH, MODULE).diagnostics
    assert diag.code == "SL002"


def test_spans_count_characters_not_bytes() -> None:
    source = SA_HEADER + "\nclass Café(Base):\n    __tablename__ = 'cafés'\n    é = Column(Enum(UserRole))\n"
    facts = extract_python_module(source, PATH, MODULE)
    cafe = class_of(facts, "Café")
    assert cafe.span == span_of(source, "Café")
    assert cafe.span == Span(PATH, 16, 7, 16, 11)
    assert column_of(facts, "Café", "é").span == Span(PATH, 18, 9, 18, 31)


def test_byte_order_mark_is_ignored() -> None:
    facts = extract_python_module("\ufeffimport enum\nclass R(enum.Enum):\n    A = 1\n", PATH, MODULE)
    assert members(enum_of(facts, "R")) == [("A", 1)]


# ------------------------------------------------------------------------------------ oracle: SQLAlchemy itself


ORACLE_SOURCE = """\
import enum
from typing import Literal, Optional
import sqlalchemy as sa
from sqlalchemy import Column, Enum as SQLEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UserRole(str, enum.Enum):
    WRITER = "writer"
    ADMIN = "admin"


class Base(DeclarativeBase):
    pass


class Oracle(Base):
    __tablename__ = "oracle"
    id: Mapped[int] = mapped_column(primary_key=True)
    a = Column(SQLEnum(UserRole), nullable=False, default=UserRole.WRITER)
    b: Mapped[UserRole]
    c: Mapped[Optional[UserRole]] = mapped_column(SQLEnum(UserRole, name="c_t", native_enum=False))
    d: Mapped[UserRole | None] = mapped_column(nullable=False)
    e: Mapped[Literal["x", "y"]]
    f = Column("f_db", sa.String(30), primary_key=False)
    g: Mapped[Optional[int]] = Column(sa.Integer, nullable=False)
    h = mapped_column(sa.Enum("p", "q", name="h_t"))
    k: Mapped[Optional[int]] = mapped_column(primary_key=True)
    m: Mapped[int] = mapped_column(sa.Integer, nullable=True, primary_key=True)
"""


def test_extracted_columns_agree_with_sqlalchemy_itself() -> None:
    pytest.importorskip("sqlalchemy")
    namespace = types.ModuleType("oracle_models")
    exec(compile(ORACLE_SOURCE, "oracle_models.py", "exec", dont_inherit=True), namespace.__dict__)
    table = namespace.Oracle.__table__
    facts = extract_python_module(ORACLE_SOURCE, "oracle_models.py", "oracle_models")
    oracle = next(c for c in facts.classes if c.name == "Oracle")
    assert oracle.table == table.name
    assert sorted(c.name for c in oracle.columns) == sorted(c.name for c in table.columns)
    for column in oracle.columns:
        real = table.columns[column.name]
        assert (column.nullable, column.primary_key) == (real.nullable, real.primary_key), column.name
        if column.enum is not None:
            assert column.enum.native_enum == real.type.native_enum, column.name
            if column.enum.name is not None:
                assert column.enum.name == real.type.name, column.name
            if column.enum.literals is not None:
                assert list(column.enum.literals) == real.type.enums, column.name
        if column.annotation_literals is not None:
            assert list(column.annotation_literals) == real.type.enums
            assert real.type.native_enum is False


def test_sqlmodel_default_table_name_agrees_with_sqlmodel_itself() -> None:
    pytest.importorskip("sqlmodel")
    source = "from typing import Optional\nfrom sqlmodel import SQLModel, Field\n" + (
        "class OracleHeroTeam(SQLModel, table=True):\n    id: Optional[int] = Field(default=None, primary_key=True)\n"
    )
    namespace: dict[str, Any] = {"__name__": "oracle_sqlmodel"}
    exec(compile(source, "oracle_sqlmodel.py", "exec", dont_inherit=True), namespace)
    facts = extract_python_module(source, "oracle_sqlmodel.py", "oracle_sqlmodel")
    (cls,) = facts.classes
    assert cls.table == namespace["OracleHeroTeam"].__tablename__


def test_enum_member_fact_shape() -> None:
    facts = extract("import enum\nclass R(enum.Enum):\n    A = f()\n")
    assert enum_of(facts, "R").members == (EnumMemberDef("A", None, Span(PATH, 3, 5, 3, 12), resolved=False),)


# --------------------------------------------------------------------------------------------
# Python source helpers shared by the model and Alembic front-ends
# --------------------------------------------------------------------------------------------


def test_model_spans_count_lines_as_python_does_past_form_feeds_and_crlf() -> None:
    # \x0c inside a string and \u2028 inside a comment are not line breaks for Python.
    source = 'NOTE = "page\x0cbreak"  # a\u2028b\r\nclass Role(enum.Enum):\r\n    ADMIN = "admin"\r\n'
    facts = extract_python_module("import enum\r\n" + source, PATH, MODULE)
    (member,) = enum_of(facts, "Role").members
    assert (member.span.line, member.span.column) == (4, 5)


def test_resolvable_constants_never_unparse_their_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    from schemalint.extract.pysource import eval_const

    def refuse(node: ast.AST) -> str:
        raise AssertionError("unparse called for a resolvable node")

    tree = ast.parse('("a" + PREFIX, f"{PREFIX}-b", str(3).upper(), [*ITEMS, "z"])', mode="eval")
    monkeypatch.setattr(ast, "unparse", refuse)
    value = eval_const(tree.body, {"PREFIX": "p", "ITEMS": ("x", "y")})
    assert value == ("ap", "p-b", "3", ("x", "y", "z"))


def test_pep_695_type_parameters_parse_on_every_supported_python() -> None:
    source = textwrap.dedent(
        """
        import enum
        from typing import Callable
        type Check[T] = Callable[[T], bool]
        def first[T](items: list[T]) -> T:
            return items[0]
        class Color(enum.Enum):
            RED = "red"
        """
    )
    facts = extract_python_module(source, PATH, MODULE)
    assert facts.diagnostics == ()
    (member,) = enum_of(facts, "Color").members
    assert member.span == span_of(source, 'RED = "red"')


def test_a_real_syntax_error_is_still_reported_where_it_is() -> None:
    source = "def first[T](items):\n    return items[0\n"
    (diagnostic,) = extract_python_module(source, PATH, MODULE).diagnostics
    assert diagnostic.code == "SL002" and diagnostic.span.line == 2


def test_reading_models_does_not_import_the_sql_parser() -> None:
    import subprocess
    import sys

    probe = "import sys, schemalint.extract.models; print('sqlglot' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_tablename_directive_returning_a_literal_names_the_table() -> None:
    facts = extract(
        """
        from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
        class Base(DeclarativeBase):
            pass
        class AuditEntry(Base):
            @declared_attr.directive
            def __tablename__(cls) -> str:
                "Kept apart from the naming rule."
                return "audit_log"
            id: Mapped[int] = mapped_column(primary_key=True)
        """
    )
    assert class_of(facts, "AuditEntry").table == "audit_log"
    assert facts.diagnostics == ()


# --------------------------------------------------------------------------------------------
# PostgreSQL schemas: __table_args__, Table(schema=), MetaData(schema=), Enum(schema=)
# --------------------------------------------------------------------------------------------


def test_table_args_schema_is_read_from_a_dict_or_the_dict_ending_a_tuple() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import DeclarativeBase

        class Base(DeclarativeBase):
            pass

        class A(Base):
            __tablename__ = "a"
            __table_args__ = {"schema": "auth"}

        class B(Base):
            __tablename__ = "b"
            __table_args__ = (sa.CheckConstraint("id > 0"), {"schema": "billing"})

        class C(Base):
            __tablename__ = "c"
            __table_args__ = (sa.CheckConstraint("id > 0"),)
        """
    )
    assert (class_of(facts, "A").schema, class_of(facts, "A").table_args) == ("auth", True)
    assert class_of(facts, "B").schema == "billing" and len(class_of(facts, "B").checks) == 1
    assert (class_of(facts, "C").schema, class_of(facts, "C").table_args) == (None, True)


def test_metadata_schema_of_a_base_a_module_variable_and_a_core_table() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import DeclarativeBase, declarative_base

        billing = sa.MetaData(schema="billing")

        class Base(DeclarativeBase):
            metadata = sa.MetaData(schema="auth")

        class Other(DeclarativeBase):
            metadata = billing

        Legacy = declarative_base(metadata=sa.MetaData(schema="legacy"))

        events = sa.Table("events", billing, sa.Column("id", sa.Integer), schema="audit")
        """
    )
    assert dict(facts.metadata)["billing"].schema == "billing"
    assert class_of(facts, "Base").metadata is not None and class_of(facts, "Base").metadata.schema == "auth"
    other = class_of(facts, "Other").metadata
    assert other is not None and other.ref == ref("billing")
    legacy = class_of(facts, "Legacy").metadata
    assert legacy is not None and legacy.schema == "legacy"
    events = class_of(facts, "events")
    assert events.schema == "audit" and events.metadata is not None and events.metadata.ref == ref("billing")


def test_enum_schema_and_inherit_schema_are_read() -> None:
    facts = extract(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        class Base(DeclarativeBase):
            pass

        class A(Base):
            __tablename__ = "a"
            s = mapped_column(sa.Enum("x", name="s", schema="email"))
            t = mapped_column(sa.Enum("x", name="t", inherit_schema=True))
        """
    )
    s_spec, t_spec = column_of(facts, "A", "s").enum, column_of(facts, "A", "t").enum
    assert s_spec is not None and (s_spec.schema, s_spec.inherit_schema) == ("email", False)
    assert t_spec is not None and (t_spec.schema, t_spec.inherit_schema) == (None, True)


def test_schema_that_is_not_a_constant_is_reported() -> None:
    facts = extract(
        """
        import os
        from sqlalchemy.orm import DeclarativeBase

        class Base(DeclarativeBase):
            pass

        class A(Base):
            __tablename__ = "a"
            __table_args__ = {"schema": os.environ["SCHEMA"]}
        """
    )
    (diagnostic,) = facts.diagnostics
    assert diagnostic.code == "SL004" and "A.__table_args__" in diagnostic.message
    assert class_of(facts, "A").schema is None
