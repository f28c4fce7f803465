"""Request ids, the access log and ``/metrics`` (Prometheus), installed on the app in one place.

* **Request id**: each request gets one (a valid ``X-Request-Id`` from the client or proxy, else a new
  one) in :data:`core.logs.REQUEST_ID` for every log line it causes, including the booking engine's and
  the outbox rows it queues; the response carries it back in ``X-Request-Id``.
* **Access log**: one line per request on the ``tobeout.access`` logger (INFO): method, path, status,
  milliseconds, client address.
* **/metrics** (Prometheus text format, prometheus-client): every metric of :mod:`core.metrics`
  (requests by route and status with latency histograms, open event streams, bookings, conversation
  turns, model latency and failures) and, read from the database at each scrape, the outbox backlog,
  the oldest due message's age and every worker's heartbeat age. It asks for ``Authorization: Bearer
  <METRICS_TOKEN>``; without ``METRICS_TOKEN`` it answers 404. With ``PROMETHEUS_MULTIPROC_DIR`` set
  (``tobeout serve --workers N`` sets it) a scrape of any process adds up the figures of all of them.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from datetime import UTC, datetime

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from quart import Quart, Response, g, request
from quart_schema import hide

from core.logs import REQUEST_ID, new_request_id
from core.metrics import HTTP_LATENCY, HTTP_REQUESTS
from core.runtime import runtime_of
from core.status import service_status

access_log = logging.getLogger("tobeout.access")


def install_observability(app: Quart) -> None:
    """Request ids, the access log, the request metrics and the ``/metrics`` route."""

    @app.before_request
    async def _begin() -> None:
        g._tobeout_started = time.perf_counter()
        g._tobeout_request_id = new_request_id(request.headers.get("X-Request-Id"))
        REQUEST_ID.set(g._tobeout_request_id)

    @app.after_request
    async def _end(response: Response) -> Response:
        started = g.get("_tobeout_started")
        request_id = g.get("_tobeout_request_id")
        if request_id:
            response.headers["X-Request-Id"] = request_id
        if started is None:
            return response
        seconds = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, route).observe(seconds)
        access_log.info(
            "%s %s %d %.1fms %s",
            request.method,
            request.path,
            response.status_code,
            seconds * 1000,
            request.remote_addr,
        )
        return response

    @app.get("/metrics")
    @hide
    async def metrics() -> Response:
        settings = runtime_of(app).settings
        expected = settings.metrics_token
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not expected:
            return Response('{"message": "Not found."}', 404, content_type="application/json")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return Response(
                '{"message": "Send Authorization: Bearer <METRICS_TOKEN>."}', 401, content_type="application/json"
            )
        body = _process_metrics() + await _database_metrics()
        return Response(body, 200, content_type=CONTENT_TYPE_LATEST)


def _process_metrics() -> bytes:
    """This process's metrics, or every process's when ``PROMETHEUS_MULTIPROC_DIR`` is set."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY)


async def _database_metrics() -> bytes:
    """The outbox and the workers, as the database has them now (the same for every process)."""
    registry = CollectorRegistry()
    backlog = Gauge("tobeout_outbox_messages", "Open outbox messages by status", ["status"], registry=registry)
    due = Gauge("tobeout_outbox_due", "Outbox messages due now", registry=registry)
    oldest = Gauge(
        "tobeout_outbox_oldest_due_seconds", "How long the oldest due outbox message has waited", registry=registry
    )
    beat = Gauge(
        "tobeout_worker_heartbeat_age_seconds", "Seconds since each worker's heartbeat", ["worker"], registry=registry
    )
    failing = Gauge(
        "tobeout_worker_failed_polls", "Polls in a row a worker could not work", ["worker"], registry=registry
    )
    try:
        status = await service_status(datetime.now(UTC))
    except Exception:  # the database is away: the scrape still answers with the process's own metrics
        return b""
    for name, count in status.outbox.items():
        backlog.labels(name).set(count)
    due.set(status.due)
    oldest.set(status.oldest_due_seconds or 0)
    for worker in status.workers:
        beat.labels(worker.name).set(worker.seconds_since_beat)
        failing.labels(worker.name).set(worker.failed_polls)
    return generate_latest(registry)
