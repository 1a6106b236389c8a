"""The individual report as a PDF: the print template rendered in the reader's language
and laid out by WeasyPrint.

WeasyPrint may read only the package's own files (the fonts it embeds): nothing from the
network and nothing a user's text names, so a report never fetches a URL and looks the
same on every machine. WeasyPrint needs Pango on the machine; without it the PDF is
refused with 503 (PdfUnavailable) and everything else keeps working."""

import functools
import re
import unicodedata
from contextlib import nullcontext
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from certtrack.i18n import LOCALES
from certtrack.models import Application, User
from certtrack.services import access, applications
from certtrack.workflow.errors import NotFound, WorkflowError

PACKAGE = Path(__file__).resolve().parent.parent
FONTS = PACKAGE / "static" / "fonts"
TEMPLATE = "reports/report_pdf.html"
INSTALL = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"


class PdfUnavailable(WorkflowError):
    """The machine cannot lay out PDFs (Pango is missing)."""

    code = "pdf_unavailable"
    status = 503


def weasyprint() -> ModuleType:
    """The weasyprint module, or PdfUnavailable when its system libraries are missing
    (it loads Pango when imported)."""
    try:
        import weasyprint as module  # loads Pango: only when a PDF is asked for
    except (ImportError, OSError) as error:
        current_app.logger.error("PDF reports are unavailable: %s (%s)", error, INSTALL)
        raise PdfUnavailable(
            _("PDF reports are not available on this server right now; the report page is.")
        ) from None
    return module


@functools.cache
def _fetcher_class(module: ModuleType) -> type:
    class PackageFilesOnly(module.urls.URLFetcher):  # type: ignore[name-defined]
        """Serves file: URLs inside the fonts folder; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not is_package_file(url):
                raise ValueError(f"not a file of the package: {url[:200]}")
            return super().fetch(url, headers)

    return PackageFilesOnly


def is_package_file(url: str) -> bool:
    """Whether `url` is a file: URL of a file in the package's fonts folder."""
    if not url.startswith("file://"):
        return False
    path = Path(url.removeprefix("file://").split("?")[0]).resolve()
    return path.is_relative_to(FONTS) and path.is_file()


def render(application: Application, context: dict[str, Any]) -> bytes:
    """The report of `application` as PDF bytes, in the current locale. `context` is what
    the print template shows besides the application."""
    module = weasyprint()
    html = render_template(TEMPLATE, app=application, fonts=FONTS.as_uri(), **context)
    document = module.HTML(
        string=html, base_url=FONTS.as_uri() + "/", url_fetcher=_fetcher_class(module)()
    )
    pdf: bytes = document.write_pdf()
    return pdf


def file_name(application: Application) -> str:
    """A file name safe in any header and file system: certtrack-report-<cluster>-<level>.pdf."""
    return f"certtrack-report-{slug(application.cluster.name)}-{application.level.value}.pdf"


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens ("Polo Tecnologico di Pordenone"
    -> "polo-tecnologico-di-pordenone"); "cluster" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return found[:60].rstrip("-") or "cluster"


def for_reader(reader: User, application_id: int) -> tuple[bytes, str]:
    """The PDF of the application's report for `reader`, in their language, and its file
    name; refused as the report page is (403/404), or 503 without Pango."""
    application = applications.with_everything(access.get_application(reader, application_id).id)
    # Until it is delivered, the report is the assigned consultant's draft to preview.
    if not application.report_delivered and reader.id != application.consultant_id:
        raise NotFound(_("This application has no report yet."))
    language = force_locale(reader.locale) if reader.locale in LOCALES else nullcontext()
    with language:
        return render(application, {}), file_name(application)
