"""Indicator definitions (reference data) and the values recorded for an application."""

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum
from certtrack.models.enums import IndicatorKind

if TYPE_CHECKING:
    from certtrack.models.application import Application


class IndicatorDefinition(Base):
    __tablename__ = "indicator_definition"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[IndicatorKind] = mapped_column(str_enum(IndicatorKind), index=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    area: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # QUALITY only: the minimum score and the maximum score of the indicator.
    threshold: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    max_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))


class IndicatorValue(Base):
    """What the consultant recorded for one indicator: an answer (BENCHMARK), met or not
    (BASELINE), or a score (QUALITY)."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("application_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator_definition.id"))
    value: Mapped[str | None] = mapped_column(Text)
    met: Mapped[bool | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))

    application: Mapped["Application"] = relationship(back_populates="indicator_values")
    indicator: Mapped[IndicatorDefinition] = relationship()
