"""The coordinator's weekly digest: one message with everything that needs attention."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from certtrack import formats, vocabulary
from certtrack.extensions import db
from certtrack.models import Application, Label, State, User
from certtrack.services import portfolio
from certtrack.workflow.policy import Policy

EXPIRING_DAYS = 90


@dataclass
class Summary:
    expiring: list[Label]
    stalled: list[Application]
    unassigned: list[Application]

    @property
    def count(self) -> int:
        return len(self.expiring) + len(self.stalled) + len(self.unassigned)

    @property
    def empty(self) -> bool:
        return self.count == 0

    def lines(self) -> list[str]:
        lines = [
            _(
                "Label ending on %(day)s: %(cluster)s (%(level)s)",
                day=formats.day(label.valid_until),
                cluster=label.cluster.name,
                level=vocabulary.name(label.level),
            )
            for label in self.expiring
        ]
        lines += [
            _("Review without report: %(cluster)s", cluster=app.cluster.name)
            for app in self.stalled
        ]
        lines += [
            _("Waiting for a consultant: %(cluster)s", cluster=app.cluster.name)
            for app in self.unassigned
        ]
        return lines


def for_coordinator(user: User, today: date, policy: Policy) -> Summary:
    """What needs the coordinator's attention, each part selected in SQL."""
    unassigned = portfolio.board_query(user, portfolio.BoardFilters(), State.SUBMITTED)
    return Summary(
        expiring=portfolio.expiring_labels(user, today, EXPIRING_DAYS),
        stalled=portfolio.stalled_reviews(user, today, policy),
        unassigned=list(db.session.scalars(unassigned).unique()),
    )
