"""Model graph: the strings each column persists, per shared/research/enum-semantics.md."""

from __future__ import annotations

import textwrap
from typing import Any

from schemalint.extract.models import extract_python_module, module_name_for
from schemalint.facts import EnumLabelsRef, ValuesCallable
from schemalint.model_graph import EnumLabelResolver, EnumUse, ModelGraph, build_model_graph

HEADER = """
import enum
from typing import Literal, Optional

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
"""


def graph(files: dict[str, str]) -> ModelGraph:
    modules = [
        extract_python_module(textwrap.dedent(text), path, module_name_for(path))
        for path, text in files.items()
    ]
    return build_model_graph(modules, "postgresql")


def use(g: ModelGraph, table: str, column: str) -> EnumUse:
    col = g.tables[table].column(column)
    assert col is not None and col.enum is not None, (table, column)
    return col.enum


def test_default_enum_persists_member_names_and_is_named_after_the_class() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class Role(str, enum.Enum):
    WRITER = "writer"
    GUEST = "guest-with-long-value"

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role]
"""
        }
    )
    role = use(g, "users", "role")
    assert (role.persisted, role.stores, role.type_name, role.native) == (
        ("WRITER", "GUEST"),
        "names",
        "role",
        True,
    )


def test_enum_imported_from_another_module_by_absolute_path_resolves_under_a_nested_root() -> None:
    g = graph(
        {
            "backend/app/enums.py": "import enum\n\nclass Kind(enum.Enum):\n    A = 'a'\n    B = 'b'\n",
            "backend/app/models.py": HEADER
            + """
from app.enums import Kind as K

class Base(DeclarativeBase):
    pass

class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind = mapped_column(sa.Enum(K, values_callable=lambda e: [m.value for m in e], name="thing_kind"))
""",
        }
    )
    kind = use(g, "things", "kind")
    assert (kind.persisted, kind.stores, kind.type_name) == (("a", "b"), "values", "thing_kind")


def test_type_annotation_map_entry_for_a_memberless_base_applies_to_subclasses() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class BaseRole(str, enum.Enum):
    pass

class StaffRole(BaseRole):
    CLERK = "clerk"
    MANAGER = "manager"

class Base(DeclarativeBase):
    type_annotation_map = {BaseRole: sa.Enum(BaseRole, values_callable=lambda e: [m.value for m in e])}

class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[StaffRole]
"""
        }
    )
    role = use(g, "staff", "role")
    # The entry carries values_callable; the name comes from the concrete class (observed M10).
    assert (role.persisted, role.type_name) == (("clerk", "manager"), "staffrole")


def test_literal_annotation_is_a_nameless_non_native_enum_even_if_the_map_says_native() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class Base(DeclarativeBase):
    type_annotation_map = {Literal: sa.Enum(native_enum=True, create_constraint=True)}

class Task(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Literal["bug", "feature"]]
"""
        }
    )
    kind = use(g, "tasks", "kind")
    assert (kind.persisted, kind.native, kind.type_name) == (("bug", "feature"), False, None)


def test_auto_values_aliases_and_strenum() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class Color(enum.StrEnum):
    RED = enum.auto()
    CRIMSON = "red"

class Level(enum.IntEnum):
    LOW = enum.auto()
    HIGH = enum.auto()

class Base(DeclarativeBase):
    pass

class Paint(Base):
    __tablename__ = "paints"
    id: Mapped[int] = mapped_column(primary_key=True)
    color = mapped_column(sa.Enum(Color, values_callable=lambda e: [m.value for m in e]))
    color_name = mapped_column(sa.Enum(Color))
    level = mapped_column(sa.Enum(Level, values_callable=lambda e: [str(m.value) for m in e]))
"""
        }
    )
    # StrEnum + auto() gives the lower-cased name; CRIMSON is an alias of RED and is left out.
    assert use(g, "paints", "color").persisted == ("red",)
    assert use(g, "paints", "color_name").persisted == ("RED",)
    assert use(g, "paints", "level").persisted == ("1", "2")


def test_values_callable_returning_integers_is_reported_unresolved_not_guessed() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class Level(enum.IntEnum):
    LOW = 1

class Base(DeclarativeBase):
    pass

class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    level = mapped_column(sa.Enum(Level, values_callable=lambda e: [m.value for m in e]))
"""
        }
    )
    assert g.tables["jobs"].column("level").enum is None  # type: ignore[union-attr]
    assert [d.code for d in g.diagnostics] == ["SL004"]


def test_raw_string_default_equal_to_a_value_is_sent_as_the_name_for_str_enums_only() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class StrRole(str, enum.Enum):
    WRITER = "writer"

class PlainRole(enum.Enum):
    WRITER = "writer"

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    a = mapped_column(sa.Enum(StrRole), default="writer")
    b = mapped_column(sa.Enum(PlainRole), default="writer")
"""
        }
    )
    a = g.tables["users"].column("a")
    b = g.tables["users"].column("b")
    assert a is not None and b is not None
    assert [d.value for d in a.defaults] == ["WRITER"]  # hashes equal to the member
    assert [d.value for d in b.defaults] == ["writer"]  # passed through unchanged


def test_sqlmodel_enum_field_stores_names() -> None:
    g = graph(
        {
            "app/models.py": """
import enum
from typing import Optional
from sqlmodel import Field, SQLModel

class Status(str, enum.Enum):
    OPEN = "open"

class Ticket(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    status: Status
"""
        }
    )
    status = use(g, "ticket", "status")
    assert (status.persisted, status.type_name) == (("OPEN",), "status")


def test_members_whose_values_cannot_be_read_are_not_folded_into_one() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
from app.helpers import make_value

class State(str, enum.Enum):
    READY = make_value()
    RUNNING = make_value()

class Base(DeclarativeBase):
    pass

class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    state = mapped_column(sa.Enum(State))
    state_value = mapped_column(sa.Enum(State, values_callable=lambda e: [m.value for m in e]))
"""
        }
    )
    # Names are known even when values are not; values are then unknown, and said so.
    assert use(g, "runs", "state").persisted == ("READY", "RUNNING")
    assert g.tables["runs"].column("state_value").enum is None  # type: ignore[union-attr]
    assert [d.code for d in g.diagnostics] == ["SL004"]


def test_stdlib_enum_is_not_shadowed_by_a_project_module_named_enum() -> None:
    g = graph(
        {
            "shop/utils/enum.py": "class StrLabelEnum:\n    pass\n",
            "shop/models.py": HEADER
            + """
class Kind(enum.StrEnum):
    A = "a"

class Base(DeclarativeBase):
    pass

class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind]
""",
        }
    )
    assert use(g, "items", "kind").persisted == ("A",)


def test_columns_declared_on_a_mixin_belong_to_every_table_using_it() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
class Status(enum.Enum):
    ON = "on"

class Base(DeclarativeBase):
    pass

class StatusMixin:
    status: Mapped[Status] = mapped_column(sa.Enum(Status, name="status"))

class Device(StatusMixin, Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
"""
        }
    )
    assert use(g, "devices", "status").persisted == ("ON",)


# --------------------------------------------------------------------------------------------
# Computed __tablename__: a declared_attr on a base, evaluated for every mapped subclass
# --------------------------------------------------------------------------------------------


def test_tablename_helper_in_another_module_splitting_on_capitals_names_every_model() -> None:
    # A base built with declarative_base(cls=...), whose directive hands the class name to a
    # helper of another module; the first parameter is named ``self`` here.
    g = graph(
        {
            "svc/naming.py": """
import re

def table_name_for(class_name):
    words = re.split("(?=[A-Z])", class_name)
    return "_".join([word.lower() for word in words if word])
""",
            "svc/db.py": """
from sqlalchemy.orm import declarative_base, declared_attr
from svc.naming import table_name_for

class ModelMixin:
    @declared_attr
    def __tablename__(self):
        return table_name_for(self.__name__)

Base = declarative_base(cls=ModelMixin)
""",
            "svc/models.py": HEADER
            + """
from svc.db import Base

class Severity(str, enum.Enum):
    LOW = "low"

class IncidentSeverity(Base):
    id = sa.Column(sa.Integer, primary_key=True)
    level = sa.Column(sa.Enum(Severity))

class AuditEntry(Base):
    __tablename__ = "audit_log"
    id = sa.Column(sa.Integer, primary_key=True)
""",
        }
    )
    assert sorted(g.tables) == ["audit_log", "incident_severity"]
    assert use(g, "incident_severity", "level").persisted == ("LOW",)
    assert g.diagnostics == ()


def test_tablename_from_a_module_level_compiled_pattern_skips_abstract_classes() -> None:
    g = graph(
        {
            "orm/base.py": HEADER
            + """
import re
from sqlalchemy.orm import declared_attr

BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")

class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return BOUNDARY.sub("_", cls.__name__).lower()

class Timestamped(Base):
    __abstract__ = True
    created: Mapped[int]

class FlowRunState(Timestamped):
    id: Mapped[int] = mapped_column(primary_key=True)
"""
        }
    )
    assert sorted(g.tables) == ["flow_run_state"]
    assert g.tables["flow_run_state"].column("created") is not None
    assert g.diagnostics == ()


def test_tablename_lowercasing_the_class_name_in_a_mixin_applies_only_to_mapped_classes() -> None:
    g = graph(
        {
            "app/models.py": HEADER
            + """
from sqlalchemy.orm import declared_attr

class Base(DeclarativeBase):
    pass

class LowerCaseName:
    @declared_attr.directive
    def __tablename__(cls):
        return cls.__name__.lower()

class WithStatus(LowerCaseName):
    status: Mapped[str]

class Invoice(LowerCaseName, Base):
    id: Mapped[int] = mapped_column(primary_key=True)

class CreditNote(Invoice):
    # joined-table inheritance: the directive is called again for the subclass
    id: Mapped[int] = mapped_column(sa.ForeignKey("invoice.id"), primary_key=True)
"""
        }
    )
    assert sorted(g.tables) == ["creditnote", "invoice"]


def test_sqlmodel_table_takes_the_name_its_base_computes() -> None:
    g = graph(
        {
            "app/models.py": """
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

class Model(SQLModel):
    @declared_attr
    def __tablename__(cls):
        return f"app_{cls.__name__.lower()}"

class Hero(Model, table=True):
    id: int = Field(primary_key=True)
"""
        }
    )
    assert sorted(g.tables) == ["app_hero"]


def test_tablename_helper_outside_the_project_is_one_sl004_at_the_directive() -> None:
    source = (
        HEADER
        + """
from inflection import underscore
from sqlalchemy.orm import declared_attr

class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls):
        return underscore(cls.__name__)

class Invoice(Base):
    id: Mapped[int] = mapped_column(primary_key=True)

class Payment(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
"""
    )
    g = graph({"app/models.py": source})
    assert dict(g.tables) == {}
    (diagnostic,) = g.diagnostics  # once for the directive, not once per model
    assert diagnostic.code == "SL004" and "`Base.__tablename__`" in diagnostic.message
    assert source.splitlines()[diagnostic.span.line - 1].strip() == "def __tablename__(cls):"
    assert "`inflection.underscore` is not defined in this project" in diagnostic.help


def test_tablename_rule_runs_only_the_evaluated_subset() -> None:
    # Nothing from the project runs: builtins outside the subset and methods outside the
    # whitelist make the rule unreadable instead of being called.
    for body in (
        "__import__('os').getcwd()",
        "cls.__name__.encode()",
        "cls.__class__.__name__",
        "cls.__name__ * 2",
    ):
        source = HEADER + (
            "from sqlalchemy.orm import declared_attr\n\n"
            "class Base(DeclarativeBase):\n"
            "    @declared_attr.directive\n"
            "    def __tablename__(cls):\n"
            f"        return {body}\n\n"
            "class Invoice(Base):\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        )
        modules = [extract_python_module(source, "app/models.py", "app.models")]
        g = build_model_graph(modules, "postgresql")
        codes = [d.code for d in (*modules[0].diagnostics, *g.diagnostics)]
        assert (dict(g.tables), codes) == ({}, ["SL004"]), body


def test_tablename_helpers_may_slice_join_and_use_conditional_expressions() -> None:
    g = graph(
        {
            "app/naming.py": """
SUFFIX = "s"

def plural(word):
    return word if word.endswith(SUFFIX) else word + SUFFIX

def snake(name):
    head = name[0].lower()
    tail = "".join([f"_{c.lower()}" if c.isupper() else c for c in name[1:]])
    return plural(head + tail)
""",
            "app/models.py": HEADER
            + """
from sqlalchemy.orm import declared_attr
from app import naming

class Base(DeclarativeBase):
    @declared_attr.directive
    def __tablename__(cls):
        return naming.snake(cls.__name__)

class OrderLine(Base):
    id: Mapped[int] = mapped_column(primary_key=True)

class Status(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
""",
        }
    )
    assert sorted(g.tables) == ["order_lines", "status"]


# --------------------------------------------------------------------------------------------
# Application enums used by migrations: the labels SQLAlchemy gives their type
# --------------------------------------------------------------------------------------------


def labels_of(files: dict[str, str], target: str, **ref: Any) -> tuple[str, ...] | None:
    modules = [
        extract_python_module(textwrap.dedent(text), path, module_name_for(path))
        for path, text in files.items()
    ]
    return EnumLabelResolver(modules)(EnumLabelsRef(target, None, **ref))


ROLES = {
    "backend/app/enums/roles.py": """
import enum

class UserRole(str, enum.Enum):
    WRITER = "writer"
    ADMIN = "admin"
    SUPERUSER = "admin"  # an alias: not a label of its own
""",
    "backend/app/enums/__init__.py": "from .roles import UserRole\n",
}


def test_application_enum_labels_are_member_names_without_aliases() -> None:
    assert labels_of(ROLES, "app.enums.UserRole") == ("WRITER", "ADMIN")
    assert labels_of(ROLES, "app.enums.roles.UserRole") == ("WRITER", "ADMIN")


def test_application_enum_labels_follow_values_callable() -> None:
    values = ValuesCallable(("value",), "lambda e: [m.value for m in e]")
    assert labels_of(ROLES, "app.enums.UserRole", values_callable=values) == ("writer", "admin")


def test_application_enum_outside_the_project_has_no_labels() -> None:
    assert labels_of(ROLES, "vendor.enums.UserRole") is None
    assert labels_of(ROLES, "app.enums.Missing") is None


SCHEMAS = (
    HEADER
    + """
class S(enum.Enum):
    A = "a"

class Base(DeclarativeBase):
    pass

class Mixin:
    __table_args__ = {"schema": "mix"}

class InAuth(Base):
    __tablename__ = "t"
    __table_args__ = {"schema": "auth"}
    id: Mapped[int] = mapped_column(primary_key=True)
    plain: Mapped[S] = mapped_column(sa.Enum(S, name="plain"))
    inherited: Mapped[S] = mapped_column(sa.Enum(S, name="inherited", inherit_schema=True))
    explicit: Mapped[S] = mapped_column(sa.Enum(S, name="explicit", schema="email"))

class InPublic(Base):
    __tablename__ = "t"
    id: Mapped[int] = mapped_column(primary_key=True)

class FromMixin(Mixin, Base):
    __tablename__ = "m"
    id: Mapped[int] = mapped_column(primary_key=True)

class Child(InAuth):
    __tablename__ = "child"  # a mapped parent's __table_args__ is not inherited
    id: Mapped[int] = mapped_column(sa.ForeignKey("auth.t.id"), primary_key=True)

billing = sa.MetaData(schema="billing")

class BillingBase(DeclarativeBase):
    metadata = billing

class Invoice(BillingBase):
    __tablename__ = "invoice"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[S] = mapped_column(sa.Enum(S, name="invoice_status"))

class Elsewhere(BillingBase):
    __tablename__ = "elsewhere"
    __table_args__ = {"schema": "other"}
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[S] = mapped_column(sa.Enum(S, name="status"))

events = sa.Table("events", BillingBase.metadata, sa.Column("s", sa.Enum(S, name="event_s")), schema="audit")
"""
)


def test_model_tables_and_enum_types_are_keyed_by_schema_as_sqlalchemy_2_1_creates_them() -> None:
    # Names checked against SQLAlchemy 2.1.9's CREATE TABLE for the same models.
    g = graph({"app/models.py": SCHEMAS})
    assert set(g.tables) == {
        "auth.t",
        "t",
        "mix.m",
        "child",
        "billing.invoice",
        "other.elsewhere",
        "audit.events",
    }
    assert use(g, "auth.t", "plain").type_name == "plain"  # no MetaData schema: the default schema
    assert use(g, "auth.t", "inherited").type_name == "auth.inherited"
    assert use(g, "auth.t", "explicit").type_name == "email.explicit"
    # A MetaData's schema places its tables and (2.1) its named types, whatever the table's schema.
    assert use(g, "billing.invoice", "status").type_name == "billing.invoice_status"
    assert use(g, "other.elsewhere", "status").type_name == "billing.status"
    assert use(g, "audit.events", "s").type_name == "billing.event_s"
    column = g.tables["auth.t"].column("plain")
    assert column is not None and column.table == "auth.t"


def test_schemas_are_dropped_on_mysql() -> None:
    modules = [extract_python_module(textwrap.dedent(SCHEMAS), "app/models.py", "app.models")]
    g = build_model_graph(modules, "mysql")
    assert "t" in g.tables and "invoice" in g.tables and "auth.t" not in g.tables
    assert use(g, "invoice", "status").type_name == "invoice_status"
