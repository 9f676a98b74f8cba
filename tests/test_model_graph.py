"""Model graph: the strings each column persists, per shared/research/enum-semantics.md."""

from __future__ import annotations

import textwrap

from schemalint.extract.models import extract_python_module, module_name_for
from schemalint.model_graph import EnumUse, ModelGraph, build_model_graph

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
