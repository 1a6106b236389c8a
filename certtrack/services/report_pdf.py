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
from markupsafe import Markup

from certtrack.charts import area_chart
from certtrack.extensions import db
from certtrack.i18n import LOCALES
from certtrack.models import Application, User
from certtrack.services.peers import PeerGroup
from certtrack.services.report import AreaSection, BenchmarkReport, report_for
from certtrack.workflow.errors import WorkflowError

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


def render(report: BenchmarkReport, label_number: str | None) -> bytes:
    """The report as PDF bytes, in the current locale: its cover, the charts (against all
    benchmarked peers, as the page first shows them), the tables with every peer group,
    Silver's and Gold's sections and the recommendations."""
    module = weasyprint()
    html = render_template(
        TEMPLATE,
        report=report,
        label_number=label_number,
        chart=_print_chart,
        fonts=FONTS.as_uri(),
    )
    document = module.HTML(
        string=html, base_url=FONTS.as_uri() + "/", url_fetcher=_fetcher_class(module)()
    )
    pdf: bytes = document.write_pdf()
    return pdf


def _print_chart(section: AreaSection) -> Markup:
    """The page's chart of an area against all benchmarked peers, drawn with the shipped
    font: the charts ask for a generic sans-serif, which would be whatever the machine
    has (WeasyPrint does not apply the page's styles inside an SVG)."""
    svg = area_chart(section, PeerGroup.ALL, f"chart-{section.key}")
    return Markup(str(svg).replace('font-family="sans-serif"', 'font-family="Report Sans"', 1))  # noqa: S704  (the chart's own, escaped markup)


def file_name(report: BenchmarkReport) -> str:
    """A file name safe in any header and file system: certtrack-report-<cluster>-<level>.pdf."""
    return f"certtrack-report-{slug(report.cluster.name)}-{report.level.value}.pdf"


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens ("Polo Tecnologico di Pordenone"
    -> "polo-tecnologico-di-pordenone"); "cluster" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return found[:60].rstrip("-") or "cluster"


def for_reader(reader: User, application_id: int) -> tuple[bytes, str]:
    """The PDF of the application's report for `reader`, in their language, and its file
    name; refused as the report page is (permissions.report_refusal: 403/404), or 503
    without Pango."""
    language = force_locale(reader.locale) if reader.locale in LOCALES else nullcontext()
    with language:
        report = report_for(reader, application_id)
        application = db.session.get(Application, application_id)
        label = application.label if application is not None else None
        return render(report, label.number if label else None), file_name(report)
