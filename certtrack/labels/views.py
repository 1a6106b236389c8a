import segno
from flask import Blueprint, Response, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from certtrack.models import Label
from certtrack.models.base import utcnow
from certtrack.services import calendar, labels
from certtrack.services.outbox import external_url
from certtrack.services.tokens import user_for_calendar_feed
from certtrack.workflow.errors import NotFound
from certtrack.workflow.policy import load_policy

bp = Blueprint("labels", __name__)


def _verification(number: str) -> tuple[Label, str, Markup]:
    label = labels.by_number(number)
    url = external_url(url_for("labels.public", number=label.number))
    # Drawn here as inline SVG: no third-party service learns who checks which label.
    # segno escapes the title it writes into the SVG, and the rest is its own markup.
    qr = Markup(segno.make(url, error="m").svg_inline(scale=4, title=url))  # noqa: S704
    return label, url, qr


@bp.get("/labels/<number>")
def public(number: str) -> str:
    label, url, qr = _verification(number)
    current = labels.current_successor(label)
    return render_template("labels/public.html", label=label, url=url, qr=qr, current=current)


@bp.get("/labels/<number>/certificate")
def certificate(number: str) -> str:
    label, url, qr = _verification(number)
    current = labels.current_successor(label)
    return render_template("labels/certificate.html", label=label, url=url, qr=qr, current=current)


@bp.get("/calendar/<secret>.ics")
def calendar_feed(secret: str) -> Response:
    """A user's dates for their calendar app; the secret address is the key."""
    user = user_for_calendar_feed(secret)
    if user is None:
        raise NotFound(_("This calendar address is not valid (any more)."))
    return Response(
        calendar.feed(user, load_policy(), utcnow()),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'inline; filename="certtrack.ics"'},
    )
