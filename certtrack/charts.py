"""Server-side SVG charts of the benchmarking report (no JavaScript): per area, each
indicator's own value against the chosen peer group's median and interquartile range.

Each indicator row has its own scale: the indicator's range where it has one (a 0-4
scale, 0-100 %, yes/no), otherwise from the lower of the first quartile and the value to
a little above the higher of the third quartile and the value. The charts are images
with a title and a description; the page and the PDF give the same figures in a table
next to them. Colours keep WCAG AA contrast on white (text 4.5:1, marks 3:1)."""

from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

from certtrack.services.peers import PeerGroup
from certtrack.services.report import AreaSection, IndicatorLine

WIDTH = 640
ROW = 32
TOP = 8
LEGEND = 34
LABEL_END = 64  # the indicator code
LOW_END = 124  # the low end of the row's scale, right-aligned
PLOT_START, PLOT_END = 132, 560
HIGH_START = 568
TEXT = "#212529"  # 15.4:1 on white
MUTED = "#495057"  # 8.6:1
RULE = "#6c757d"  # 4.7:1
BOX_FILL, BOX_EDGE = "#cfe2ff", "#0a58ca"  # edge 6.4:1 on white
MEDIAN = "#052c65"  # 13:1
OWN = "#b02a37"  # 6.5:1 on white, 5.2:1 on the box


def area_chart(section: AreaSection, group: PeerGroup, chart_id: str) -> Markup:
    """The SVG of one area for one peer group. `chart_id` must be unique on the page
    (it names the title and the description)."""
    height = TOP + ROW * len(section.indicators) + LEGEND
    title = _("%(area)s: the cluster against its peers", area=section.name)
    desc = _(
        "For each indicator, the dot is the cluster's value, the box spans the middle half "
        "of the peers (first to third quartile) and the line inside it is the median. Each "
        "row has its own scale. The table that follows gives the figures."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="peer-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for i, line in enumerate(section.indicators):
        parts.append(_row(line, group, TOP + ROW * i))
    parts.append(_legend(TOP + ROW * len(section.indicators) + 8))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped)


def scale_of(line: IndicatorLine, group: PeerGroup) -> tuple[Decimal, Decimal] | None:
    """The (low, high) ends of the indicator's row, or None with nothing to draw."""
    stats = line.peers.get(group)
    known = [line.value] if line.value is not None else []
    if stats is not None and stats.shortfall is None:
        known += [n for n in (stats.first_quartile, stats.third_quartile) if n is not None]
    if not known:
        return None
    low = line.minimum if line.minimum is not None else min(known)
    high = line.maximum if line.maximum is not None else max(known)
    if line.maximum is None:
        high += (high - low) / 10 or Decimal(1)
    if high <= low:
        high = low + 1
    return low, high


def _x(number: Decimal, low: Decimal, high: Decimal) -> float:
    share = float((number - low) / (high - low))
    return PLOT_START + max(0.0, min(1.0, share)) * (PLOT_END - PLOT_START)


def _text(x: float, y: float, content: str, anchor: str = "start", **style: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in style.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def _row(line: IndicatorLine, group: PeerGroup, top: int) -> str:
    middle = top + ROW / 2
    parts = [_text(0, middle + 4, line.code, font_size="12", fill=TEXT, font_weight="bold")]
    scale = scale_of(line, group)
    if scale is None:
        parts.append(_text(PLOT_START, middle + 4, _("no figures"), font_size="11", fill=MUTED))
        return "<g>" + "".join(parts) + "</g>"
    low, high = scale
    parts.append(_text(LOW_END, middle + 4, line.figure(low), "end", font_size="10", fill=MUTED))
    parts.append(_text(HIGH_START, middle + 4, line.figure(high), font_size="10", fill=MUTED))
    parts.append(
        f'<line x1="{PLOT_START}" y1="{middle}" x2="{PLOT_END}" y2="{middle}" '
        f'stroke="{RULE}" stroke-width="1"/>'
    )
    stats = line.peers.get(group)
    if stats is not None and stats.shortfall is None and stats.median is not None:
        assert stats.first_quartile is not None and stats.third_quartile is not None
        left = _x(stats.first_quartile, low, high)
        right = _x(stats.third_quartile, low, high)
        parts.append(
            f'<rect x="{left:.1f}" y="{top + 7}" width="{max(right - left, 2):.1f}" '
            f'height="{ROW - 14}" fill="{BOX_FILL}" stroke="{BOX_EDGE}" stroke-width="2"/>'
        )
        median = _x(stats.median, low, high)
        parts.append(
            f'<line x1="{median:.1f}" y1="{top + 4}" x2="{median:.1f}" y2="{top + ROW - 4}" '
            f'stroke="{MEDIAN}" stroke-width="3"/>'
        )
    if line.value is not None:
        own = _x(line.value, low, high)
        parts.append(
            f'<circle cx="{own:.1f}" cy="{middle}" r="6" fill="{OWN}" '
            f'stroke="#ffffff" stroke-width="1.5"/>'
        )
    return "<g>" + "".join(parts) + "</g>"


def _legend(top: int) -> str:
    middle = top + 10
    return (
        "<g>"
        f'<circle cx="{PLOT_START + 6}" cy="{middle}" r="6" fill="{OWN}"/>'
        + _text(PLOT_START + 18, middle + 4, _("this cluster"), font_size="11", fill=TEXT)
        + f'<rect x="{PLOT_START + 130}" y="{middle - 7}" width="28" height="14" '
        f'fill="{BOX_FILL}" stroke="{BOX_EDGE}" stroke-width="2"/>'
        + f'<line x1="{PLOT_START + 144}" y1="{middle - 9}" x2="{PLOT_START + 144}" '
        f'y2="{middle + 9}" stroke="{MEDIAN}" stroke-width="3"/>'
        + _text(
            PLOT_START + 166,
            middle + 4,
            _("peers: median and middle half"),
            font_size="11",
            fill=TEXT,
        )
        + "</g>"
    )
