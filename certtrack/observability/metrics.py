"""Prometheus metrics at /metrics: requests by endpoint and status with their latency,
counted in the worker that served them (with PROMETHEUS_MULTIPROC_DIR set, gunicorn's
workers share them through files in that directory; see gunicorn_hooks), and at scrape
time from the database: the outbox by status (one grouped query) and the scheduler's
heartbeat (the last daily pass and dispatcher run).

Off (404) unless CERTTRACK_METRICS_TOKEN or CERTTRACK_METRICS_NETWORKS is set: a caller
needs the bearer token or an address in one of the networks."""

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, current_app, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from werkzeug.wrappers import Response

from certtrack.errors import json_error
from certtrack.models import OutboxStatus
from certtrack.services.system_status import SchedulerStatus, age, outbox_depth, scheduler_status

bp = Blueprint("observability", __name__)

# The worker's own metrics; a registry of their own, so that the scrape decides whether
# they come from this process or from every worker's files.
WORKER_REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "certtrack_http_requests",
    "Requests served, by endpoint, method and status.",
    ["endpoint", "method", "status"],
    registry=WORKER_REGISTRY,
)
LATENCY = Histogram(
    "certtrack_http_request_duration_seconds",
    "Time to answer a request, by endpoint and method.",
    ["endpoint", "method"],
    registry=WORKER_REGISTRY,
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Requests that matched no route share one label: paths must not make new series.
UNMATCHED = "unmatched"


def register(app: Flask) -> None:
    # A mistyped network stops the start, rather than every scrape.
    app.extensions["certtrack_metrics_networks"] = _networks(
        str(app.config.get("CERTTRACK_METRICS_NETWORKS") or "")
    )

    @app.after_request
    def count_request(response: Response) -> Response:
        if request.endpoint == "observability.metrics":
            return response  # scrapes would swamp what they measure
        endpoint = request.url_rule.endpoint if request.url_rule else UNMATCHED
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        started = g.get("request_started")
        if started is not None:
            LATENCY.labels(endpoint, request.method).observe(time.perf_counter() - started)
        return response


@bp.get("/metrics")
def metrics() -> Response | tuple[Response, int]:
    refusal = _refusal()
    if refusal is not None:
        return refusal
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Forward(WORKER_REGISTRY))
    registry.register(DatabaseCollector())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _refusal() -> tuple[Response, int] | None:
    token = current_app.config.get("CERTTRACK_METRICS_TOKEN") or ""
    networks = current_app.extensions["certtrack_metrics_networks"]
    if not token and not networks:
        return _error(404, "not_found", "Not found.")
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return None
    if networks and _address_in(request.remote_addr, networks):
        return None
    if token and not offered:
        response, status = _error(401, "unauthorized", "A bearer token is required.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response, status
    return _error(403, "forbidden", "Not allowed to read the metrics.")


def _error(status: int, code: str, message: str) -> tuple[Response, int]:
    body, status = json_error(status, code, message)
    return jsonify(body), status


def _networks(setting: str) -> list[Network]:
    try:
        return [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in setting.split(",")
            if part.strip()
        ]
    except ValueError as error:
        raise RuntimeError(f"CERTTRACK_METRICS_NETWORKS: {error}") from None


def _address_in(address: str | None, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)


class _Forward(Collector):
    """Another registry's metrics, inside the scrape's registry."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterator[Metric]:
        yield from self.source.collect()


class DatabaseCollector(Collector):
    """What the database says at scrape time: two small queries."""

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "certtrack_outbox_messages", "Outbox messages by status.", labels=["status"]
        )
        counts = outbox_depth()
        for status, count in counts.items():
            depth.add_metric([status.value], count)
        yield depth
        failed = GaugeMetricFamily(
            "certtrack_outbox_failed_messages", "Messages given up on, waiting for a person."
        )
        failed.add_metric([], counts[OutboxStatus.FAILED])
        yield failed
        yield from _scheduler_metrics(scheduler_status())


def _scheduler_metrics(status: SchedulerStatus) -> Iterator[Metric]:
    beat, now = status.beat, status.now
    values = {
        "certtrack_scheduler_heartbeat_age_seconds": (
            "Seconds since the leading scheduler's last beat.",
            age(now, beat.beat_at if beat else None),
        ),
        "certtrack_daily_pass_age_seconds": (
            "Seconds since the last daily pass started.",
            age(now, beat.pass_started_at if beat else None),
        ),
        "certtrack_daily_pass_duration_seconds": (
            "How long the last finished daily pass took.",
            status.pass_duration,
        ),
        "certtrack_dispatch_age_seconds": (
            "Seconds since the last dispatcher run started.",
            age(now, beat.dispatch_started_at if beat else None),
        ),
        "certtrack_dispatch_duration_seconds": (
            "How long the last dispatcher run took.",
            status.dispatch_duration,
        ),
    }
    for name, (documentation, value) in values.items():
        if value is not None:  # absent rather than a made-up number: alert on absent()
            yield GaugeMetricFamily(name, documentation, value=value.total_seconds())
    if beat and beat.pass_outcome:
        yield GaugeMetricFamily(
            "certtrack_daily_pass_succeeded",
            "1 if the last finished daily pass succeeded, 0 if it failed.",
            value=1 if beat.pass_outcome.startswith("ok") else 0,
        )
