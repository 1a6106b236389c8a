# ruff: noqa: E501  (the matrix reads best one route per line)
"""The permission matrix: every route, as every role and anonymously. The server refuses
whatever a role may not do, whatever the page shows; a route without an entry here fails
the coverage test."""

from dataclasses import dataclass, field

import pytest
from flask import Flask
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Cluster,
    Document,
    Label,
    ProgrammeTarget,
    Recommendation,
    User,
)
from tests.web.conftest import open_application_id, sign_in

ROLES = {
    "anon": None,
    "admin": "admin@certtrack.example",
    "coord": "coordinator@informest.example",
    "other_coord": "coordinator@czechinvest.example",
    "manager": "manager@area.example",
    "other_manager": "manager@ditenave.example",
    "consultant": "luis.ortega@experts.example",  # reviews Polo now, reviewed AREA's Silver
    "other_consultant": "sofia.lindqvist@experts.example",
}
SIGNED_IN = [role for role in ROLES if role != "anon"]
LOGIN = "login"  # a redirect to the sign-in page


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def only(
    status: int, *roles: str, others: int = 403, anon: int | str = LOGIN
) -> dict[str, int | str]:
    return {**dict.fromkeys(SIGNED_IN, others), **dict.fromkeys(roles, status), "anon": anon}


SEES_AREA = ("admin", "coord", "manager", "consultant")
STAFF = ("admin", "coord", "other_coord")


@dataclass
class Case:
    method: str
    endpoint: str
    url: str
    expect: dict[str, int | str]
    data: dict[str, str] = field(default_factory=dict)


def cases(ids: dict[str, int]) -> list[Case]:
    area, app, sedia, polo = ids["area"], ids["area_app"], ids["sedia_app"], ids["polo_app"]
    return [
        Case("GET", "main.index", "/", everyone(200)),
        Case("GET", "auth.login", "/login", {**everyone(302), "anon": 200}),
        Case("POST", "auth.login", "/login", {**everyone(302), "anon": 422}),
        Case("POST", "auth.logout", "/logout", everyone(302)),
        Case("GET", "auth.forgot_password", "/password/forgot", everyone(200)),
        Case("POST", "auth.forgot_password", "/password/forgot", everyone(422), {"email": "no"}),
        Case("GET", "auth.reset_password", "/password/reset/forged", everyone(404)),
        Case("POST", "auth.reset_password", "/password/reset/forged", everyone(404)),
        Case("GET", "auth.accept_invitation", "/invitation/forged", everyone(404)),
        Case("POST", "auth.accept_invitation", "/invitation/forged", everyone(404)),
        Case("POST", "account.switch_locale", "/locale", everyone(302), {"locale": "en"}),
        Case("GET", "account.profile", "/account", only(200, *SIGNED_IN)),
        Case("POST", "account.profile", "/account", only(422, *SIGNED_IN), {"name": ""}),
        Case("GET", "account.password", "/account/password", only(200, *SIGNED_IN)),
        Case("POST", "account.password", "/account/password", only(422, *SIGNED_IN)),
        Case("GET", "dashboard.home", "/dashboard", {**only(200, *SIGNED_IN), "manager": 302, "other_manager": 302}),
        Case("GET", "dashboard.expiring", "/expiring", only(200, *STAFF)),
        Case("GET", "applications.board", "/board", only(200, *STAFF)),
        Case("GET", "clusters.index", "/clusters", only(200, *STAFF)),
        Case("GET", "clusters.new", "/clusters/new", only(200, *STAFF)),
        Case("POST", "clusters.new", "/clusters/new", only(422, *STAFF)),
        Case("GET", "clusters.detail", f"/clusters/{area}", only(200, *SEES_AREA)),
        Case("GET", "clusters.edit", f"/clusters/{area}/edit", only(200, "admin", "coord", "manager")),
        Case("POST", "clusters.edit", f"/clusters/{area}/edit", only(422, "admin", "coord", "manager"), {"name": ""}),
        # AREA already runs an application: allowed roles are told so; others refused.
        Case("POST", "clusters.start_application", f"/clusters/{area}/applications", only(302, "admin", "coord", "manager"), {"level": "gold"}),
        Case("GET", "applications.detail", f"/applications/{app}", only(200, *SEES_AREA)),
        # Not possible in AREA's state: those who see it are told why; others refused.
        Case("POST", "applications.fire", f"/applications/{app}/events/submit", only(302, *SEES_AREA)),
        # A final step posted without its confirmation: the confirmation, nothing changed.
        Case("POST", "applications.fire", f"/applications/{sedia}/events/withdraw", only(422, "admin", "coord"), {"version": ""}),
        Case("GET", "applications.assign", f"/applications/{sedia}/assign", only(200, "admin", "coord")),
        Case("POST", "applications.assign", f"/applications/{sedia}/assign", only(422, "admin", "coord")),
        Case("GET", "applications.report_pdf", f"/applications/{app}/report.pdf", only(200, *SEES_AREA)),
        # Polo's report is the consultant's draft: only they preview it.
        Case("GET", "applications.report_pdf", f"/applications/{polo}/report.pdf", {**only(200, "consultant"), "admin": 404, "coord": 404}),
        # AREA's conversation: everyone on the application; an empty post comes back.
        Case("GET", "conversation.thread", f"/applications/{app}/conversation", only(200, *SEES_AREA)),
        Case("POST", "conversation.thread", f"/applications/{app}/conversation", only(422, *SEES_AREA), {"body": ""}),
        Case("POST", "conversation.mute", f"/applications/{app}/conversation/mute", only(302, *SEES_AREA)),
        Case("POST", "conversation.unmute", f"/applications/{app}/conversation/unmute", only(302, *SEES_AREA)),
        Case("POST", "applications.improvement_areas", f"/applications/{app}/improvement-areas", only(302, "manager")),
        Case("GET", "reports.show", f"/applications/{app}/report", only(200, *SEES_AREA)),
        # A draft: the consultant's preview; others who see the application: not yet there.
        Case("GET", "reports.show", f"/applications/{polo}/report", {**only(200, "consultant"), "admin": 404, "coord": 404}),
        # Polo's review is Bronze: those who plan visits are told there is none to plan.
        Case("POST", "applications.visit", f"/applications/{polo}/visit", only(302, "admin", "coord", "consultant"), {"visit_starts_on": "2026-12-10", "visit_ends_on": "2026-12-11"}),
        Case("GET", "reviews.edit", f"/applications/{polo}/review", only(200, "consultant")),
        Case("POST", "reviews.edit", f"/applications/{polo}/review", only(302, "consultant"), {"save": "1"}),
        Case("POST", "recommendations.update", f"/recommendations/{ids['area_rec']}", only(302, "manager")),
        # Documents: whoever sees the application uploads (no file sent: told so, 422) and
        # downloads; only the uploader (AREA's manager), a coordinator and an admin replace
        # and delete.
        Case("POST", "documents.upload", f"/applications/{app}/documents", only(422, *SEES_AREA)),
        Case("GET", "documents.download", f"/documents/{ids['area_doc']}/download", only(200, *SEES_AREA)),
        Case("POST", "documents.replace", f"/documents/{ids['area_doc']}/replace", only(422, "admin", "coord", "manager")),
        Case("POST", "documents.delete", f"/documents/{ids['area_doc']}/delete", only(422, "admin", "coord", "manager")),
        Case("POST", "documents.delete", f"/documents/{ids['area_doc']}/delete", only(302, "admin", "coord", "manager"), {"confirmed": "yes"}),
        Case("GET", "notifications.index", "/notifications", only(200, *SIGNED_IN)),
        Case("GET", "notifications.settings", "/notifications/settings", only(200, *SIGNED_IN)),
        Case("POST", "notifications.settings", "/notifications/settings", only(302, *SIGNED_IN), {"wants_digest": "y"}),
        Case("GET", "notifications.failed", "/notifications/failed", only(200, *STAFF)),
        Case("POST", "notifications.retry", "/notifications/failed/999999/retry", only(404, *STAFF)),
        # The signed token is the only proof (no sign-in, no CSRF): a forged one is refused.
        Case("GET", "notifications.unsubscribe_page", "/notifications/unsubscribe/forged", everyone(404)),
        Case("POST", "notifications.unsubscribe_now", "/notifications/unsubscribe/forged", everyone(404), {"List-Unsubscribe": "One-Click"}),
        Case("GET", "clusters.invite_manager", f"/clusters/{area}/invite", only(200, "admin", "coord")),
        Case("POST", "clusters.invite_manager", f"/clusters/{area}/invite", only(422, "admin", "coord")),
        Case("POST", "admin.reinvite", f"/admin/users/{ids['user']}/invite", only(302, "admin")),
        Case("GET", "account.tokens", "/account/tokens", only(200, *SIGNED_IN)),
        Case("POST", "account.tokens", "/account/tokens", only(422, *SIGNED_IN), {"name": ""}),
        Case("POST", "account.revoke_token", "/account/tokens/999999/revoke", only(404, *SIGNED_IN)),
        Case("POST", "account.end_session", "/account/sessions/999999/end", only(404, *SIGNED_IN)),
        Case("POST", "account.end_other_sessions", "/account/sessions/end-others", only(302, *SIGNED_IN)),
        Case("GET", "account.calendar", "/account/calendar", only(200, *SIGNED_IN)),
        Case("POST", "account.calendar", "/account/calendar", only(200, *SIGNED_IN)),
        Case("POST", "account.revoke_calendar", "/account/calendar/revoke", only(302, *SIGNED_IN)),
        Case("GET", "labels.calendar_feed", "/calendar/forged.ics", everyone(404)),
        Case("GET", "labels.public", f"/labels/{ids['label']}", everyone(200)),
        Case("GET", "labels.certificate", f"/labels/{ids['label']}/certificate", everyone(200)),
        Case("GET", "labels.badge", f"/labels/{ids['label']}/badge.svg", everyone(200)),
        Case("GET", "register.index", "/register", everyone(200)),
        Case("GET", "register.csv", "/register.csv", everyone(200)),
        Case("GET", "register.json_download", "/register.json", everyone(200)),
        Case("GET", "exports.clusters", "/exports/clusters.csv", only(200, *STAFF)),
        Case("GET", "exports.labels", "/exports/labels.csv", only(200, *STAFF)),
        Case("GET", "exports.recommendations", "/exports/recommendations.csv", only(200, *STAFF)),
        Case("GET", "admin.users", "/admin/users", only(200, "admin")),
        Case("GET", "admin.user", "/admin/users/new", only(200, "admin")),
        Case("POST", "admin.user", "/admin/users/new", only(422, "admin")),
        Case("GET", "admin.user", f"/admin/users/{ids['user']}", only(200, "admin")),
        Case("POST", "admin.user", f"/admin/users/{ids['user']}", only(422, "admin"), {"name": ""}),
        Case("GET", "admin.agencies", "/admin/agencies", only(200, "admin")),
        Case("GET", "admin.agency", "/admin/agencies/new", only(200, "admin")),
        Case("POST", "admin.agency", "/admin/agencies/new", only(422, "admin")),
        Case("GET", "admin.agency", f"/admin/agencies/{ids['agency']}", only(200, "admin")),
        Case("POST", "admin.agency", f"/admin/agencies/{ids['agency']}", only(422, "admin"), {"name": ""}),
        Case("GET", "admin.settings", "/admin/settings", only(200, "admin")),
        Case("POST", "admin.settings", "/admin/settings", only(422, "admin"), {"grace_months": "x"}),
        Case("GET", "admin.system", "/admin/system", only(200, "admin")),
        Case("GET", "imports.index", "/import", only(200, "admin", "coord", "other_coord")),
        Case("POST", "imports.index", "/import", only(422, "admin", "coord", "other_coord")),
        Case("GET", "imports.template", "/import/template?format=csv&language=it", only(200, "admin", "coord", "other_coord")),
        # Only its uploader opens a preview; a forged token is no one's.
        Case("GET", "imports.preview", "/import/forged", only(404, "admin", "coord", "other_coord")),
        Case("POST", "imports.preview", "/import/forged", only(404, "admin", "coord", "other_coord")),
        Case("GET", "programme.index", "/programme", {**only(200, "admin"), "coord": 302, "other_coord": 302}),
        Case("GET", "programme.agency", f"/programme/{ids['agency']}", only(200, "admin", "coord")),
        Case("GET", "programme.csv_all", "/programme.csv", only(200, "admin")),
        Case("GET", "programme.csv_agency", f"/programme/{ids['agency']}.csv", only(200, "admin", "coord")),
        Case("GET", "programme.new_target", f"/programme/{ids['agency']}/targets/new", only(200, "admin", "coord")),
        Case("POST", "programme.new_target", f"/programme/{ids['agency']}/targets/new", only(422, "admin", "coord"), {"kind": "labels_at_level"}),
        Case("GET", "programme.edit_target", f"/programme/targets/{ids['target']}/edit", only(200, "admin", "coord")),
        Case("POST", "programme.edit_target", f"/programme/targets/{ids['target']}/edit", only(422, "admin", "coord"), {"kind": "labels_at_level", "number": "0"}),
        # Last of the target's cases: it is gone afterwards.
        Case("POST", "programme.delete_target", f"/programme/targets/{ids['target']}/delete", only(422, "admin", "coord")),
        Case("POST", "programme.delete_target", f"/programme/targets/{ids['target']}/delete", only(302, "admin", "coord"), {"confirmed": "yes"}),
        Case("GET", "admin.revoke_label", f"/admin/labels/{ids['label']}/revoke", only(200, "admin")),
        Case("POST", "admin.revoke_label", f"/admin/labels/{ids['label']}/revoke", only(422, "admin"), {"reason": ""}),
        # For load balancers and monitoring: no sign-in. No scheduler runs in these tests,
        # so not ready; the metrics are off without a token.
        Case("GET", "health.healthz", "/healthz", everyone(200)),
        Case("GET", "health.readyz", "/readyz", everyone(503)),
        Case("GET", "observability.metrics", "/metrics", everyone(404)),
    ]  # fmt: skip


def demo_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        area = db.session.scalar(select(Cluster.id).where(Cluster.name == "Consorzio AREA"))
        area_app = open_application_id(app, "Consorzio AREA")
        return {
            "area": area,
            "area_app": area_app,
            "sedia_app": open_application_id(app, "ASDI Sedia"),
            "polo_app": open_application_id(app, "Polo Tecnologico di Pordenone"),
            "area_rec": db.session.scalar(
                select(Recommendation.id)
                .join(Recommendation.report)
                .where(Recommendation.report.has(application_id=area_app))
            ),
            "user": db.session.scalar(
                select(User.id).where(User.email == "anna.keller@experts.example")
            ),
            "agency": db.session.scalar(select(Agency.id).where(Agency.short_name == "INF")),
            "area_doc": db.session.scalar(
                select(Document.id).where(Document.application_id == area_app)
            ),
            "label": db.session.scalar(select(Label.number).order_by(Label.id)),
            "target": db.session.scalar(
                select(ProgrammeTarget.id)
                .join(Agency, Agency.id == ProgrammeTarget.agency_id)
                .where(Agency.short_name == "INF")
                .order_by(ProgrammeTarget.id)
            ),
        }


@pytest.mark.parametrize("role", list(ROLES))
def test_every_route_as(role, demo, client):
    failures = []
    for case in cases(demo_ids(demo)):
        if ROLES[role]:
            sign_in(client, ROLES[role])
        else:
            client.post("/logout")
        response = client.open(case.url, method=case.method, data=case.data, buffered=True)
        expected = case.expect[role]
        if expected == LOGIN:
            ok = response.status_code == 302 and response.headers["Location"].startswith("/login")
        else:
            ok = response.status_code == expected
        if not ok:
            failures.append(
                f"{case.method} {case.url}: {response.status_code}, expected {expected}"
            )
    assert not failures, "\n".join(failures)


def test_the_matrix_covers_every_route(app):
    ids = dict.fromkeys(
        [
            "area",
            "area_app",
            "sedia_app",
            "polo_app",
            "area_rec",
            "user",
            "agency",
            "label",
            "area_doc",
            "target",
        ],
        1,
    )
    covered = {(case.endpoint, case.method) for case in cases(ids)}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in ("static", "bootstrap.static") and not rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()
