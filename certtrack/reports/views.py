from flask import Blueprint, render_template, request
from flask_login import login_required

from certtrack import charts
from certtrack.services.peers import PeerGroup
from certtrack.services.report import report_for
from certtrack.web import actor

bp = Blueprint("reports", __name__)


@bp.get("/applications/<int:application_id>/report")
@login_required
def show(application_id: int) -> str:
    """The report with the peer group of `?group=` (all clusters by default; an unknown
    group falls back to it)."""
    report = report_for(actor(), application_id)
    chosen = request.args.get("group", PeerGroup.ALL.value)
    group = PeerGroup(chosen) if chosen in {g.value for g in PeerGroup} else PeerGroup.ALL
    return render_template(
        "reports/show.html",
        report=report,
        group=group,
        groups=list(PeerGroup),
        charts={
            area.key: charts.area_chart(area, group, f"chart-{area.key}") for area in report.areas
        },
    )
