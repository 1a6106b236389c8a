from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from certtrack.extensions import db
from certtrack.models import Recommendation, Role
from certtrack.services import access
from certtrack.services.recommendations import update_recommendation
from certtrack.web import actor, roles_required, today

bp = Blueprint("recommendations", __name__)


@bp.post("/recommendations/<int:recommendation_id>")
@roles_required(Role.MANAGER)
def update(recommendation_id: int) -> Response:
    """Status, evidence and a progress note; refusals and invalid input come back as a
    message on the page (the service names the field)."""
    user = actor()
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None:
        abort(404)
    application = access.get_application(user, recommendation.report.application_id)
    form = request.form
    update_recommendation(
        recommendation,
        user,
        today=today(),
        status=form.get("status") or None,
        evidence=form.get("evidence"),
        note=form.get("note"),
    )
    flash(_("The recommendation is updated."), "success")
    target = url_for("clusters.detail", cluster_id=application.cluster_id)
    return redirect(
        f"{request.referrer or target}".split("#")[0] + f"#recommendation-{recommendation.id}"
    )
