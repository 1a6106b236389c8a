"""The programme's five charts drawn from its figures (certtrack.charts draws them);
each is followed on the page by a table of the same figures."""

from flask_babel import gettext as _
from markupsafe import Markup

from certtrack import formats
from certtrack.charts import bar_chart, line_chart
from certtrack.models import Level
from certtrack.services.programme import RECOMMENDATION_FIGURES, RENEWAL_FIGURES, Figures
from certtrack.vocabulary import name


def _described(text: str) -> str:
    # Outside an f-string, so that pybabel extracts the sentence.
    return " ".join((text, _("The table that follows gives the figures.")))


def _number(value: float) -> str:
    return formats.number(round(value, 1))


def programme_charts(figures: Figures) -> dict[str, Markup]:
    """The SVG of each chart by its key (the ids of its title and description)."""
    levels = [name(level) for level in Level]
    stages = [
        (name(state) if state else _("No application yet"), [float(count)])
        for state, count in figures.clusters_by_stage
    ]
    medians = [(name(m.stage), [m.median_days or 0.0]) for m in figures.stage_medians if m.stays]
    return {
        "held": line_chart(
            "chart-held",
            _("Labels in force at the end of each year, by level"),
            _described(_("One line per level; this year counts the labels in force today.")),
            [str(year) for year, _counts in figures.held_by_year],
            [
                (levels[i], [float(counts[level]) for _year, counts in figures.held_by_year])
                for i, level in enumerate(Level)
            ],
            _number,
        ),
        "stages": bar_chart(
            "chart-stages",
            _("Clusters by stage now"),
            _described(_("One bar per stage: the clusters whose latest application is in it.")),
            stages,
            [_("Clusters")],
            _number,
        ),
        "medians": bar_chart(
            "chart-medians",
            _("Median days in each stage"),
            _described(
                _(
                    "One bar per stage that applications have left: the median of the "
                    "days they stayed in it."
                )
            ),
            medians,
            [_("Median days")],
            _number,
        ),
        "renewals": bar_chart(
            "chart-renewals",
            _("Renewals on time and lapsed labels"),
            _described(
                _(
                    "Labels that came up for renewal: renewed on time, renewed after "
                    "lapsing, lapsed and not renewed."
                )
            ),
            [
                (str(label), [float(figures.renewals[key])])
                for key, label in RENEWAL_FIGURES.items()
            ],
            [_("Labels")],
            _number,
        ),
        "recommendations": bar_chart(
            "chart-recommendations",
            _("Recommendations done and overdue"),
            _described(_("The recommendations of delivered reports by where they stand.")),
            [
                (str(label), [float(figures.recommendations[key])])
                for key, label in RECOMMENDATION_FIGURES.items()
            ],
            [_("Recommendations")],
            _number,
        ),
    }
