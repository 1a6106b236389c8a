from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack.clock import local_today
from certtrack.safe_redirect import back
from certtrack.services import access
from certtrack.services.recommendations import update_recommendation
from certtrack.web import actor

bp = Blueprint("recommendations", __name__)


@bp.post("/recommendations/<int:recommendation_id>")
@login_required
def update(recommendation_id: int) -> Response:
    """Status, evidence and a progress note; refusals and invalid input come back as a
    message on the page (the service names the field)."""
    user = actor()
    recommendation = access.get_recommendation(user, recommendation_id)
    application = recommendation.report.application
    form = request.form
    update_recommendation(
        recommendation,
        user,
        today=local_today(),
        status=form.get("status") or None,
        evidence=form.get("evidence"),
        note=form.get("note"),
    )
    flash(_("The recommendation is updated."), "success")
    target = url_for("clusters.detail", cluster_id=application.cluster_id)
    return redirect(back(target) + f"#recommendation-{recommendation.id}")
