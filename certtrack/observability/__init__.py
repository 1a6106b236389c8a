"""What operators need around the application: health checks, security headers, the
proxy's client address, one log line per request and Prometheus metrics."""

from flask import Flask

from certtrack.observability import health, metrics, request_log, security_headers


def register(app: Flask) -> None:
    """Wire every part into `app` (one line in create_app)."""
    security_headers.register(app)
    request_log.register(app)
    metrics.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
