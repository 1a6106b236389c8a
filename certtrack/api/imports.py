"""Portfolio imports: one multipart operation, a preview unless `commit` is true."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from certtrack.api.core import bp, caller, refusals
from certtrack.api.schemas import ImportSchema, ImportUploadSchema
from certtrack.clock import local_today
from certtrack.extensions import db
from certtrack.models import Agency
from certtrack.models.base import utcnow
from certtrack.services import portfolio_import
from certtrack.upload_routes import takes_uploads
from certtrack.workflow.errors import InvalidParams, NotFound

TAGS = ["imports"]


@bp.post("/imports", tags=TAGS)
@bp.arguments(ImportUploadSchema, location="files")
@bp.response(200, ImportSchema)
@refusals(403, 404, 409, 413)
@takes_uploads
def import_portfolio(form: dict[str, Any]) -> dict[str, Any]:
    """Import clusters, managers and labels from a CSV or XLSX file (preview unless
    commit is true; a commit with a refused row writes nothing and answers 422)"""
    user = caller()
    sent = form["file"]
    # A text part named "file" is not a file: refused like any other bad field.
    if not isinstance(sent, FileStorage):
        raise InvalidParams(
            _("Some fields are not valid; nothing was saved."), {"file": _("Choose a file.")}
        )
    portfolio_import.import_refusal(user, None)
    agency = _agency(form.get("agency"), user.agency_id)
    portfolio_import.import_refusal(user, agency)
    content = sent.stream.read(portfolio_import.max_bytes() + 1)
    plan = portfolio_import.plan(agency, content, sent.filename or "", today=local_today())
    counts = plan.counts()
    committed = form.get("commit") == "true"
    if committed:
        portfolio_import.commit(plan, user, now=utcnow())
    return {
        "agency": agency,
        "file_name": plan.file_name,
        "committed": committed,
        "counts": counts,
        "rows": plan.rows,
    }


def _agency(short_name: str | None, own_id: int | None) -> Agency:
    if short_name:
        agency = db.session.scalar(select(Agency).where(Agency.short_name == short_name))
    else:
        agency = db.session.get(Agency, own_id) if own_id else None
    if agency is None:
        raise NotFound(_("No such agency."), {"agency": _("No such agency.")})
    return agency
