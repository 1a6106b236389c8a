"""The individual report as a PDF, for programs (the same file as the web page's)."""

from typing import Any

from certtrack.api.core import bp, caller, refusals
from certtrack.downloads import private_attachment
from certtrack.services import report_pdf

PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


@bp.get("/applications/<int:application_id>/report.pdf", tags=["applications"])
@bp.doc(
    responses={
        "200": {"description": "The report as a PDF, in the token owner's language", "content": PDF}
    }
)
@refusals(403, 404, 503)
def get_report_pdf(application_id: int) -> Any:
    """The application's individual report as a PDF (503 where the server cannot make PDFs)"""
    content, name = report_pdf.for_reader(caller(), application_id)
    return private_attachment(content, "application/pdf", name)
