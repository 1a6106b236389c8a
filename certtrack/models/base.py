"""Declarative base with a naming convention, so constraint names are stable in migrations."""

import enum
from datetime import UTC, datetime

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The range of an INTEGER column on every database we run on: ids and counts beyond it
# are refused where they come in, not left to overflow in the driver.
MAX_INTEGER = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(enum_class: type[enum.StrEnum], length: int = 32) -> Enum:
    """Store a StrEnum by its value in a plain VARCHAR (no native enum: new members need
    no ALTER TYPE on PostgreSQL)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


def utcnow() -> datetime:
    """Naive UTC timestamp: SQLite has no time zones, so every stored datetime is UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
