"""Security headers on every response, templates the policy can serve, and the client
address behind a configured number of proxies."""

import re
from pathlib import Path

import pytest
from flask import request

from certtrack import create_app
from certtrack.extensions import db

TEMPLATES = Path(__file__).resolve().parents[2] / "certtrack" / "templates"


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/no/such/page", "/api/v1/labels"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # not served over HTTPS here


def test_hsts_where_the_cookies_are_https_only(migrated):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated, SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/healthz")
    with app.app_context():
        db.engine.dispose()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_template_has_inline_script_or_style():
    """The policy blocks them: style attributes, <style> blocks, on* handlers and
    scripts without src. Emails are not pages, nor is the report's print template
    (WeasyPrint renders it to a PDF; no browser ever loads it)."""
    inline = re.compile(r"\sstyle=|<style|\son[a-z]+=|<script(?![^>]*\ssrc=)", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        if "email" not in path.parts and path.name != "report_pdf.html"
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []


@pytest.fixture
def proxied(migrated):  # type: ignore[no-untyped-def]
    """An app behind `hops` proxies, whose metrics answer one network."""
    apps = []

    def make(hops: str):  # type: ignore[no-untyped-def]
        apps.append(
            create_app(
                "testing",
                SQLALCHEMY_DATABASE_URI=migrated,
                CERTTRACK_PROXY_HOPS=hops,
                CERTTRACK_METRICS_NETWORKS="203.0.113.0/24",
            )
        )
        return apps[-1]

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_behind_a_proxy_the_client_address_and_scheme_are_the_forwarded_ones(proxied):
    app = proxied("1")

    @app.get("/probe")
    def probe() -> dict[str, str | None]:
        return {"address": request.remote_addr, "scheme": request.scheme}

    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    client = app.test_client()
    assert client.get("/probe", headers=forwarded).get_json() == {
        "address": "203.0.113.9",
        "scheme": "https",
    }
    assert client.get("/metrics", headers=forwarded).status_code == 200  # an allowed network


def test_without_proxy_hops_forwarded_headers_are_not_trusted(proxied):
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    app = proxied("0")
    assert app.test_client().get("/metrics", headers=forwarded).status_code == 403
