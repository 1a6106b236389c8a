"""The benchmarking report of an application: its values, the peer statistics per
group (null figures and the reason when a group or an indicator has too few peers) and
the recommendations. The same data and the same rule as the report page."""

from dataclasses import asdict
from typing import Any

from marshmallow import fields

from certtrack.api.core import bp, caller, refusals
from certtrack.models import Direction, Level, Measure, Priority, RecommendationStatus
from certtrack.schemas import Representation
from certtrack.services.peers import PeerGroup, Shortfall, Standing
from certtrack.services.report import BenchmarkReport, report_for

TAGS = ["applications"]


def _enum(kind: type, **kw: Any) -> fields.Enum:
    return fields.Enum(kind, by_value=True, **kw)


class StepCountSchema(Representation):
    step = fields.Integer()
    count = fields.Integer()


class PeerFiguresSchema(Representation):
    """One group's figures for one indicator; all null when `reason` says why."""

    group = _enum(PeerGroup)
    n = fields.Integer(
        metadata={"description": "Peers who answered (0 when the group is too small)."}
    )
    first_quartile = fields.Float(allow_none=True)
    median = fields.Float(allow_none=True)
    third_quartile = fields.Float(allow_none=True)
    distribution = fields.List(
        fields.Nested(StepCountSchema),
        allow_none=True,
        metadata={"description": "Scale and yes/no indicators: peers per answer."},
    )
    percentile = fields.Float(
        allow_none=True, metadata={"description": "Share of peers below the cluster (ties half)."}
    )
    standing = _enum(Standing, allow_none=True)
    better = fields.Boolean(
        allow_none=True,
        metadata={"description": "Null at the median and for neutral indicators."},
    )
    reason = _enum(Shortfall, allow_none=True)


class IndicatorLineSchema(Representation):
    code = fields.String()
    name = fields.String()
    measure = _enum(Measure)
    direction = _enum(Direction)
    unit = fields.String()
    value = fields.Float(allow_none=True)
    shown = fields.String(metadata={"description": "The value as people read it."})
    answer = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    peers = fields.List(fields.Nested(PeerFiguresSchema))


class ReportAreaSchema(Representation):
    key = fields.String()
    name = fields.String()
    indicators = fields.List(fields.Nested(IndicatorLineSchema))


class PeerGroupSchema(Representation):
    group = _enum(PeerGroup)
    name = fields.String()
    clusters = fields.Integer()
    reason = _enum(Shortfall, allow_none=True)


class ReportClusterSchema(Representation):
    id = fields.Integer()
    name = fields.String()
    country = fields.String()
    region = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    agency = fields.String()
    staff_fte = fields.Float(allow_none=True)
    committed_members = fields.Integer(allow_none=True)
    member_types = fields.List(fields.String())


class ReportChangeSchema(Representation):
    code = fields.String()
    name = fields.String()
    before = fields.String()
    after = fields.String()
    delta = fields.Float()
    rose = fields.Boolean()
    better = fields.Boolean(allow_none=True)


class AreaOfImprovementSchema(Representation):
    title = fields.String()
    effect = fields.String()


class BaselineSchema(Representation):
    code = fields.String()
    name = fields.String()
    met = fields.Boolean(allow_none=True)


class QualitySchema(Representation):
    code = fields.String()
    name = fields.String()
    score = fields.Float(allow_none=True)
    threshold = fields.Float(allow_none=True)
    max_score = fields.Float(allow_none=True)
    meets = fields.Boolean()


class GoldSchema(Representation):
    total = fields.Float()
    maximum = fields.Float()
    percent = fields.Float()
    pass_percent = fields.Integer()
    passes = fields.Boolean()


class ReportRecommendationSchema(Representation):
    title = fields.String()
    detail = fields.String(allow_none=True)
    owner = fields.String(allow_none=True)
    priority = _enum(Priority)
    due_date = fields.Date(allow_none=True)
    status = _enum(RecommendationStatus)


class PreviousSchema(Representation):
    application_id = fields.Integer()
    level = _enum(Level)
    interview_date = fields.Date(allow_none=True)


class BenchmarkReportSchema(Representation):
    """The report as the page shows it; `preview` while the consultant drafts it."""

    application_id = fields.Integer()
    level = _enum(Level)
    preview = fields.Boolean()
    cluster = fields.Nested(ReportClusterSchema)
    interview_date = fields.Date(allow_none=True)
    consultant = fields.String(allow_none=True)
    delivered_on = fields.Date(allow_none=True)
    summary = fields.String(allow_none=True)
    peer_minimum = fields.Integer()
    groups = fields.List(fields.Nested(PeerGroupSchema))
    areas = fields.List(fields.Nested(ReportAreaSchema))
    improvement_areas = fields.List(fields.Nested(AreaOfImprovementSchema))
    baseline = fields.List(fields.Nested(BaselineSchema))
    quality = fields.List(fields.Nested(QualitySchema))
    gold = fields.Nested(GoldSchema, allow_none=True)
    recommendations = fields.List(fields.Nested(ReportRecommendationSchema))
    previous = fields.Nested(PreviousSchema, allow_none=True)
    changes = fields.List(fields.Nested(ReportChangeSchema))


@bp.get("/applications/<int:application_id>/report", tags=TAGS)
@bp.response(200, BenchmarkReportSchema)
@refusals(403, 404)
def get_report(application_id: int) -> dict[str, Any]:
    """The benchmarking report with the peer statistics of every group"""
    return _plain(report_for(caller(), application_id))


def _plain(report: BenchmarkReport) -> dict[str, Any]:
    """The report as the schema reads it: lists instead of per-group mappings."""
    data = asdict(report)
    data["groups"] = [{**g, "reason": g.pop("shortfall")} for g in data["groups"].values()]
    data["improvement_areas"] = [
        {"title": title, "effect": effect} for title, effect in report.improvement_areas
    ]
    for area in data["areas"]:
        for line in area["indicators"]:
            line["peers"] = [_figures(group, stats) for group, stats in line["peers"].items()]
    return data


def _figures(group: PeerGroup, stats: dict[str, Any]) -> dict[str, Any]:
    position = stats.pop("position") or {}
    distribution = stats.pop("distribution")
    return {
        **stats,
        "group": group,
        "reason": stats.pop("shortfall"),
        "distribution": None
        if distribution is None
        else [{"step": step, "count": count} for step, count in distribution.items()],
        "percentile": position.get("percentile"),
        "standing": position.get("standing"),
        "better": position.get("better"),
    }
