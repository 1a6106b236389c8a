import segno
from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from certtrack.labels.badge import badge as make_badge
from certtrack.labels.badge import badge_locale
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


# Long enough to spare the server, short enough that a lapse or revocation shows soon.
BADGE_MAX_AGE = 3600


def _embed_snippet(label: Label, url: str) -> str:
    """The HTML a cluster pastes into its site: the badge, linking to this page."""
    src = external_url(url_for("labels.badge", number=label.number))
    alt = _(
        "Cluster-excellence label %(number)s of %(cluster)s: check its status",
        number=label.number,
        cluster=label.cluster.name,
    )
    return f'<a href="{escape(url)}"><img src="{escape(src)}" alt="{escape(alt)}" height="20"></a>'


@bp.get("/labels/<number>")
def public(number: str) -> str:
    label, url, qr = _verification(number)
    current = labels.current_successor(label)
    return render_template(
        "labels/public.html",
        label=label,
        url=url,
        qr=qr,
        current=current,
        snippet=_embed_snippet(label, url),
    )


@bp.get("/labels/<number>/badge.svg")
def badge(number: str) -> Response:
    """The label's badge as an SVG image, in the language badge_locale picks."""
    label = labels.by_number(number)
    with force_locale(badge_locale(request)):
        svg = render_template("labels/badge.svg", badge=make_badge(label))
    return Response(
        svg,
        mimetype="image/svg+xml",
        headers={
            "Cache-Control": f"public, max-age={BADGE_MAX_AGE}",
            "Vary": "Accept-Language",
        },
    )


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
