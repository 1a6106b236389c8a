"""Finding a label by its public number, and keeping label statuses in step with the
calendar."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import LIVE_LABEL_STATUSES, Label, LabelStatus
from certtrack.services.transaction import committed
from certtrack.workflow.dates import grace_cutoff
from certtrack.workflow.errors import NotFound
from certtrack.workflow.policy import Policy


def by_number(number: str) -> Label:
    """The label with this public number; NotFound (404) if there is none."""
    label = db.session.scalar(select(Label).where(Label.number == number))
    if label is None:
        raise NotFound(_("No label has the number %(number)s.", number=number))
    return label


def refresh_label_statuses(today: date, policy: Policy) -> int:
    """Lapse labels past their end and expire those past their grace period, in two
    statements whatever the number of labels. This covers labels whose application has
    already closed (renewed or upgraded but the successor never got its label).
    Returns how many labels changed."""
    expiry_cutoff = grace_cutoff(today, policy.grace_months)
    with committed():
        expired = db.session.execute(
            update(Label)
            .where(
                Label.status.in_(LIVE_LABEL_STATUSES),
                Label.valid_until < expiry_cutoff,
            )
            .values(status=LabelStatus.EXPIRED)
        )
        lapsed = db.session.execute(
            update(Label)
            .where(Label.status == LabelStatus.VALID, Label.valid_until < today)
            .values(status=LabelStatus.LAPSED)
        )
    return int(expired.rowcount or 0) + int(lapsed.rowcount or 0)  # type: ignore[attr-defined]
