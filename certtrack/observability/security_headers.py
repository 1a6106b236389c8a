"""Security headers on every response, and the real client address and scheme behind
CERTTRACK_PROXY_HOPS reverse proxies (Werkzeug's ProxyFix; 0 trusts no X-Forwarded-*).

The pages need no inline script or style: dynamic widths and positions are data
attributes that static/layout.js applies, which a policy of 'self' allows."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    hops = int(app.config["CERTTRACK_PROXY_HOPS"])
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    # Production sends its cookies over HTTPS only; so may the browser, for a year.
    strict_transport = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for old browsers
        if strict_transport:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
