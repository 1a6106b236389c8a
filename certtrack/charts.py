"""Server-side SVG charts (no JavaScript): for the benchmarking report, per area, each
indicator's own value against the chosen peer group's median and interquartile range.

Each indicator row has its own scale: the indicator's range where it has one (a 0-4
scale, 0-100 %, yes/no), otherwise from the lower of the first quartile and the value to
a little above the higher of the third quartile and the value. The charts are images
with a title and a description; the page and the PDF give the same figures in a table
next to them. Colours keep WCAG AA contrast on white (text 4.5:1, marks 3:1)."""

from collections.abc import Callable
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


# The programme's charts: bars (stacked when there are several series) and lines, drawn
# the same way (an image with a title and a description; the page gives the table).
SERIES_COLOURS = ("#0a58ca", "#b02a37", "#146c43", "#6f42c1", "#8a5a00")  # 3:1+ on white
BAR_LABEL_END, BAR_START, BAR_END = 196, 204, 560
BAR_ROW = 28
LINE_TOP, LINE_HEIGHT, LINE_LEFT, LINE_RIGHT = 12, 180, 48, 620


def _svg_open(chart_id: str, height: int, title: str, desc: str, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="{css}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _series_legend(names: list[str], top: float) -> str:
    parts, x = ["<g>"], float(BAR_START)
    for i, name in enumerate(names):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, top + 10, name, font_size="11", fill=TEXT))
        x += 28 + 7 * len(name)
    parts.append("</g>")
    return "".join(parts)


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: list[tuple[str, list[float]]],
    series: list[str],
    figure: Callable[[float], str],
) -> Markup:
    """Horizontal bars, one per row (its name, then its value for each of `series`,
    stacked), on one scale from 0; `figure` writes a row's total beside its bar."""
    legend = LEGEND if len(series) > 1 else 8
    height = TOP + BAR_ROW * max(len(rows), 1) + legend
    parts = _svg_open(chart_id, height, title, desc, "programme-chart")
    top_value = max((sum(values) for _name, values in rows), default=0) or 1
    scale = (BAR_END - BAR_START) / top_value
    for i, (name, values) in enumerate(rows):
        top = TOP + BAR_ROW * i
        parts.append("<g>")
        parts.append(_text(BAR_LABEL_END, top + 18, name, "end", font_size="12", fill=TEXT))
        x = float(BAR_START)
        for j, value in enumerate(values):
            if value > 0:
                width = value * scale
                colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
                parts.append(
                    f'<rect x="{x:.1f}" y="{top + 5}" width="{width:.1f}" '
                    f'height="{BAR_ROW - 10}" fill="{colour}"/>'
                )
                x += width
        parts.append(_text(x + 6, top + 18, figure(sum(values)), font_size="11", fill=MUTED))
        parts.append("</g>")
    if len(series) > 1:
        parts.append(_series_legend(series, TOP + BAR_ROW * len(rows) + 10))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped)


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    points: list[str],
    series: list[tuple[str, list[float]]],
    figure: Callable[[float], str],
) -> Markup:
    """One line per series over `points` (the x axis, e.g. years), on one scale from 0
    whose top `figure` writes."""
    height = LINE_TOP + LINE_HEIGHT + 24 + LEGEND
    parts = _svg_open(chart_id, height, title, desc, "programme-chart")
    bottom = LINE_TOP + LINE_HEIGHT
    top_value = max((v for _name, values in series for v in values), default=0) or 1
    step = (LINE_RIGHT - LINE_LEFT) / max(len(points) - 1, 1)

    def at(i: int, value: float) -> tuple[float, float]:
        return LINE_LEFT + step * i, bottom - value / top_value * LINE_HEIGHT

    parts.append(
        f'<g><line x1="{LINE_LEFT}" y1="{bottom}" x2="{LINE_RIGHT}" y2="{bottom}" '
        f'stroke="{RULE}" stroke-width="1"/>'
        + _text(LINE_LEFT - 6, bottom, figure(0), "end", font_size="10", fill=MUTED)
        + _text(LINE_LEFT - 6, LINE_TOP + 8, figure(top_value), "end", font_size="10", fill=MUTED)
        + "".join(
            _text(at(i, 0)[0], bottom + 16, point, "middle", font_size="10", fill=MUTED)
            for i, point in enumerate(points)
        )
        + "</g>"
    )
    for j, (_name, values) in enumerate(series):
        colour = SERIES_COLOURS[j % len(SERIES_COLOURS)]
        xy = [at(i, value) for i, value in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(
            f'<g><polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
            + "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in xy)
            + "</g>"
        )
    parts.append(_series_legend([name for name, _values in series], bottom + 30))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text in it is escaped)
