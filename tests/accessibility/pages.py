"""Which pages the accessibility sweep visits: taken from the permission matrix, so a new
route joins as soon as it has its row there. Every GET a role opens with 200, and every
form a role posts that comes back as a page (200, or 422 with its errors), plus a few
states the matrix does not reach."""

from dataclasses import dataclass, field

from tests.web.test_permissions import ROLES, Case, cases

# The roles of the scheme, and anonymous visitors (the public pages).
SWEPT_ROLES = ("admin", "coord", "consultant", "manager", "anon")
LANGUAGES = ("en", "it")
SHOWN_AFTER_POST = (200, 422)
# The token of the import preview the sweep's app keeps for the coordinator (conftest).
IMPORT_TOKEN = "accessibility-sweep-preview"


@dataclass(frozen=True)
class Visit:
    """One page to look at: a GET, or a form posted with `data` (plus the CSRF token)."""

    method: str
    url: str
    status: int
    why: str
    data: dict[str, str] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"{self.method} {self.url} ({self.why})"


def extra_states(ids: dict[str, int]) -> dict[str, list[Visit]]:
    """Pages in states worth seeing that no row of the matrix shows."""
    review = f"/applications/{ids['polo_app']}/review"
    return {
        "coord": [
            Visit("GET", f"/import/{IMPORT_TOKEN}", 200, "an import preview with a refused row"),
        ],
        "consultant": [
            Visit("POST", review, 422, "the review refused: a future interview date",
                  {"interview_date": "2099-01-01", "save": "1"}),
            Visit("GET", "/board", 403, "the error page, signed in"),
        ],
        "anon": [Visit("GET", "/password/reset/forged", 404, "the error page")],
    }  # fmt: skip


def visits(role: str, ids: dict[str, int]) -> list[Visit]:
    """The pages `role` can see, GETs first (posting never changes what they show)."""
    assert role in ROLES
    matrix: list[Case] = cases(ids)
    gets = [
        Visit("GET", case.url, 200, case.endpoint)
        for case in matrix
        if case.method == "GET" and case.expect[role] == 200
    ]
    posts = [
        Visit("POST", case.url, int(case.expect[role]), f"{case.endpoint} posted", case.data)
        for case in matrix
        if case.method == "POST" and case.expect[role] in SHOWN_AFTER_POST
    ]
    return gets + posts + extra_states(ids).get(role, [])
