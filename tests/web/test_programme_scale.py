"""The programme page and the CSV run the same statements and stay the same size with a
portfolio ten times larger: every figure is an aggregate computed in SQL."""

from certtrack.demo.data import PASSWORD as SCALE_PASSWORD
from tests.web.test_query_counts import (
    ROW_MARKERS,
    SMALL_PAGES,
    fresh_app,
    measured_pages,
    scale_portfolio,
)

PAGES = {
    "coordinator1@scale.example": ["/programme/1", "/programme/1.csv", "/dashboard"],
    "admin@scale.example": ["/programme", "/programme.csv"],
}


def test_the_programme_stays_the_same_size_with_ten_times_the_data(migrated, frozen):
    measured = []
    for clusters in (100, 1000):
        with fresh_app(migrated, **SMALL_PAGES) as app:
            scale_portfolio(app, clusters)
            pages = {}
            for email, urls in PAGES.items():
                found = measured_pages(app, email, urls, SCALE_PASSWORD)
                pages.update({(email, url): page for url, page in found.items()})
            measured.append(pages)
    small, large = measured
    for key, (statements, html) in small.items():
        large_statements, large_html = large[key]
        assert statements == large_statements, (key, statements, large_statements)
        assert {m: html.count(m) for m in ROW_MARKERS} == {
            m: large_html.count(m) for m in ROW_MARKERS
        }, key
        assert abs(len(large_html) - len(html)) <= 0.05 * len(html), (
            key,
            len(html),
            len(large_html),
        )
    assert "Programme of" in small["coordinator1@scale.example", "/programme/1"][1]
