from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack.clock import local_today
from certtrack.models import Role, State
from certtrack.services import portfolio, programme
from certtrack.web import actor, first, paginate, roles_required
from certtrack.workflow import requirements
from certtrack.workflow.policy import load_policy

bp = Blueprint("dashboard", __name__)
WINDOWS = (30, 90, 180)
OUTCOME_NAMES = {
    portfolio.Outcome.PENDING: _l("Pending decision"),
    portfolio.Outcome.LABEL_ISSUED: _l("Label issued"),
    portfolio.Outcome.REJECTED: _l("Rejected"),
    portfolio.Outcome.WITHDRAWN: _l("Withdrawn"),
}


@bp.get("/dashboard")
@login_required
def home() -> str | Response:
    user = actor()
    if user.role == Role.MANAGER:
        return redirect(url_for("clusters.detail", cluster_id=user.cluster_id))
    if user.role == Role.CONSULTANT:
        page = paginate(portfolio.assigned_query(user))
        reviews = portfolio.with_due_dates(page.items, load_policy())
        delivered = paginate(portfolio.delivered_query(user), param="delivered_page")
        return render_template(
            "dashboard/consultant.html",
            page=page,
            reviews=reviews,
            delivered=delivered,
            outcomes=[(app, portfolio.review_outcome(app)) for app in delivered.items],
            outcome_names=OUTCOME_NAMES,
            progress=requirements.progress_of([app for app, _due in reviews]),
            today=local_today(),
        )
    return coordinator_home()


def coordinator_home() -> str:
    """Counts computed in SQL and the first few of each list, whatever the portfolio."""
    user, day, policy = actor(), local_today(), load_policy()
    counts = portfolio.state_counts(user, portfolio.BoardFilters(), portfolio.OPEN_STATES)
    to_decide, stalled = portfolio.review_counts(user, day, policy)
    labels = portfolio.label_counts(user, day, policy, WINDOWS)
    # A coordinator's agency; an admin's dashboard counts every agency.
    agency_id = user.agency_id if user.role == Role.COORDINATOR else None
    return render_template(
        "dashboard/coordinator.html",
        counts=counts,
        waiting=counts[State.SUBMITTED],
        unassigned=first(portfolio.board_query(user, portfolio.BoardFilters(), State.SUBMITTED)),
        to_decide=first(portfolio.awaiting_decision_query(user)),
        stalled=first(portfolio.stalled_query(user, day, policy)),
        totals={"to_decide": to_decide, "stalled": stalled},
        label_counts=labels,
        windows=WINDOWS,
        expiring=first(portfolio.expiring_query(user, day, max(WINDOWS))),
        lapsed=portfolio.with_grace_end(first(portfolio.lapsed_query(user, day, policy)), policy),
        medians=programme.stage_medians(agency_id, day),
        programme_link=url_for("programme.agency", agency_id=agency_id)
        if agency_id
        else url_for("programme.index"),
        day=day,
    )


@bp.get("/expiring")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def expiring() -> str:
    """One window's labels (`within`, 180 days unless another window is chosen) and the
    lapsed labels still renewable, each list paged on its own."""
    user, day, policy = actor(), local_today(), load_policy()
    chosen = request.args.get("within", "")
    window = int(chosen) if chosen in {str(w) for w in WINDOWS} else max(WINDOWS)
    lapsed = paginate(portfolio.lapsed_query(user, day, policy), param="lapsed_page")
    return render_template(
        "dashboard/expiring.html",
        windows=WINDOWS,
        window=window,
        label_counts=portfolio.label_counts(user, day, policy, WINDOWS),
        labels=paginate(portfolio.expiring_query(user, day, window)),
        lapsed=lapsed,
        lapsed_rows=portfolio.with_grace_end(lapsed.items, policy),
        day=day,
    )
