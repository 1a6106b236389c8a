"""Indicator definitions (reference data) and the values recorded for an application."""

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certtrack.models.base import Base, str_enum
from certtrack.models.enums import Direction, IndicatorKind, Measure

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
    name_it: Mapped[str | None] = mapped_column(String(300))
    # BENCHMARK only: what the answer measures, in which unit, which way is better, the
    # accepted range and how the consultant measures it. Null for the other kinds.
    measure: Mapped[Measure | None] = mapped_column(str_enum(Measure))
    unit: Mapped[str | None] = mapped_column(String(80))
    unit_it: Mapped[str | None] = mapped_column(String(80))
    direction: Mapped[Direction | None] = mapped_column(str_enum(Direction))
    minimum: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    maximum: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    guidance: Mapped[str | None] = mapped_column(Text)
    guidance_it: Mapped[str | None] = mapped_column(Text)

    levels: Mapped[list["IndicatorScaleLevel"]] = relationship(
        back_populates="indicator",
        order_by="IndicatorScaleLevel.step",
        cascade="all, delete-orphan",
    )


class IndicatorScaleLevel(Base):
    """One worded step of a SCALE indicator (0 to 4)."""

    __tablename__ = "indicator_scale_level"
    __table_args__ = (UniqueConstraint("indicator_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator_definition.id", ondelete="CASCADE")
    )
    step: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    label_it: Mapped[str | None] = mapped_column(String(200))

    indicator: Mapped[IndicatorDefinition] = relationship(back_populates="levels")


class IndicatorValue(Base):
    """What the consultant recorded for one indicator: a measurement in `number` with an
    optional `comment` (BENCHMARK), met or not (BASELINE), or a score (QUALITY)."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("application_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator_definition.id"))
    # BENCHMARK: the count, number, percentage, scale step or yes/no (1/0); null when
    # unanswered.
    number: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    comment: Mapped[str | None] = mapped_column(Text)
    met: Mapped[bool | None]
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))

    application: Mapped["Application"] = relationship(back_populates="indicator_values")
    indicator: Mapped[IndicatorDefinition] = relationship()
