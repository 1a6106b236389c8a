from flask import Blueprint, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack.clock import local_today
from certtrack.models import Role, State
from certtrack.services import portfolio
from certtrack.web import actor, roles_required
from certtrack.workflow import requirements
from certtrack.workflow.policy import load_policy

bp = Blueprint("dashboard", __name__)
WINDOWS = (30, 90, 180)


@bp.get("/dashboard")
@login_required
def home() -> str | Response:
    user = actor()
    if user.role == Role.MANAGER:
        return redirect(url_for("clusters.detail", cluster_id=user.cluster_id))
    if user.role == Role.CONSULTANT:
        reviews = portfolio.assigned_reviews(user, load_policy())
        return render_template(
            "dashboard/consultant.html",
            reviews=reviews,
            progress=requirements.progress_of([app for app, _due in reviews]),
            today=local_today(),
        )
    return coordinator_home()


def coordinator_home() -> str:
    user, day, policy = actor(), local_today(), load_policy()
    columns = portfolio.board(user, portfolio.BoardFilters())
    in_review = columns[State.CONSULTANT_REVIEW]
    expiring = portfolio.expiring_labels(user, day, max(WINDOWS))
    return render_template(
        "dashboard/coordinator.html",
        counts={state: len(apps) for state, apps in columns.items()},
        unassigned=columns[State.SUBMITTED],
        to_decide=[a for a in in_review if a.report_delivered],
        stalled=portfolio.stalled_reviews(user, day, policy, in_review),
        expiring={w: [lb for lb in expiring if (lb.valid_until - day).days <= w] for w in WINDOWS},
        lapsed=portfolio.lapsed_in_grace(user, day, policy),
        day=day,
    )


@bp.get("/expiring")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def expiring() -> str:
    user, day, policy = actor(), local_today(), load_policy()
    return render_template(
        "dashboard/expiring.html",
        windows=WINDOWS,
        labels=portfolio.expiring_labels(user, day, max(WINDOWS)),
        lapsed=portfolio.lapsed_in_grace(user, day, policy),
        day=day,
    )
