from flask import Blueprint, render_template
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Label, LabelStatus, Level
from certtrack.workflow.policy import load_policy

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    """What each label requires, and how many clusters hold one today."""
    counts = dict(
        db.session.execute(
            select(Label.level, func.count())
            .where(Label.status == LabelStatus.VALID)
            .group_by(Label.level)
        ).all()
    )
    return render_template(
        "main/index.html", policy=load_policy(), levels=list(Level), counts=counts
    )
