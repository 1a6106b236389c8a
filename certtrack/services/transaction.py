"""One transaction per service call."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from certtrack.extensions import db
from certtrack.workflow.errors import Conflict


@contextmanager
def committed() -> Iterator[None]:
    """Commit what the block wrote, or roll all of it back if it raises. A lost race on a
    unique constraint or a version check becomes a Conflict."""
    try:
        yield
        db.session.commit()
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        raise Conflict(_("Someone else changed this meanwhile; reload and try again.")) from None
    except BaseException:
        db.session.rollback()
        raise
