"""Observability: Prometheus metrics read from the database at scrape time, and JSON logs.

Metrics come from the database, not from process memory, so every API process reports the
same numbers whichever process ran the work (workers on other machines included) and a
restart loses nothing. Each app gets its own :class:`~prometheus_client.CollectorRegistry`
(no global registry): several apps in one process (tests) never collide.

JSON logs (``PODIUM_LOG_FORMAT=json``): one object per line with ``ts``, ``level``, ``logger``,
``message`` (+ ``client``, ``method``, ``path``, ``http_version``, ``status`` for access logs
and ``exc`` for tracebacks). Tokens in query strings are already masked by the filter that
``podium.server.api.logs`` attaches to uvicorn's loggers before any handler formats a record.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.samples import Sample
from sqlalchemy import Float, case, cast, extract, func, literal, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from podium.server.config import Settings
from podium.server.db.base import utcnow
from podium.server.db.models import Deployment, Event, Pipeline, Run, WorkerBeat
from podium.server.db.models.runs import RUN_STATUSES, TERMINAL
from podium.server.db.session import Database

log = logging.getLogger(__name__)
RUN_DURATION_BUCKETS_S = (1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600)
ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")
JSON_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access")
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}


# --- metrics -------------------------------------------------------------------------------


def metrics_registry(db: Database, worker_stale_s: float) -> CollectorRegistry:
    """A fresh registry holding the database collector of one app."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(db, worker_stale_s))
    return registry


class DatabaseCollector:
    """Reads runs, queue, durations, predict latency and events from the database per scrape."""

    def __init__(self, db: Database, worker_stale_s: float) -> None:
        self.db = db
        self.worker_stale_s = worker_stale_s

    def describe(self) -> list[Metric]:
        """Nothing up front: the registry must not query the database when registering."""
        return []

    def collect(self) -> Iterator[Metric]:
        """One short read-only transaction; ``podium_database_up 0`` when it fails."""
        try:
            with self.db.sessions() as session:
                families = list(_families(session, self.worker_stale_s))
        except SQLAlchemyError:
            log.exception("metrics: database read failed")
            families = []
        up = GaugeMetricFamily("podium_database_up", "Whether the last scrape read the database.")
        up.add_metric([], 1.0 if families else 0.0)
        yield up
        yield from families


def _families(session: Session, worker_stale_s: float) -> Iterator[Metric]:
    yield _runs(session)
    yield _queue(session)
    yield _workers(session, worker_stale_s)
    yield _run_durations(session)
    yield from _predictions(session)
    events = CounterMetricFamily(
        "podium_events_written", "Run events written (the highest event id; ids only grow)."
    )
    events.add_metric([], float(session.scalar(select(func.max(Event.id))) or 0))
    yield events


def _runs(session: Session) -> Metric:
    counts = dict(session.execute(select(Run.status, func.count()).group_by(Run.status)).all())
    family = GaugeMetricFamily("podium_runs", "Runs by status.", labels=["status"])
    for status in RUN_STATUSES:
        family.add_metric([status], float(counts.get(status, 0)))
    return family


def _queue(session: Session) -> Metric:
    runs = session.scalar(select(func.count()).where(Run.status == "queued")) or 0
    builds = (
        session.scalar(
            select(func.count()).where(Pipeline.status == "building", Pipeline.worker_id.is_(None))
        )
        or 0
    )
    family = GaugeMetricFamily(
        "podium_queue_depth", "Jobs waiting for a worker, by kind.", labels=["kind"]
    )
    family.add_metric(["runs"], float(runs))
    family.add_metric(["pipelines"], float(builds))
    return family


def _workers(session: Session, stale_s: float) -> Metric:
    since = utcnow() - timedelta(seconds=stale_s)
    alive = session.scalar(
        select(func.count()).where(
            WorkerBeat.stopped_at.is_(None), WorkerBeat.heartbeat_at >= since
        )
    )
    family = GaugeMetricFamily(
        "podium_workers_alive", f"Workers that heartbeat within {stale_s:g} s."
    )
    family.add_metric([], float(alive or 0))
    return family


def _seconds(session: Session) -> ColumnElement[Any]:
    """``finished_at - started_at`` in seconds, in the dialect's own date arithmetic."""
    if session.get_bind().dialect.name == "postgresql":
        return extract("epoch", Run.finished_at - Run.started_at)
    return (func.julianday(Run.finished_at) - func.julianday(Run.started_at)) * 86400.0


def _run_durations(session: Session) -> Metric:
    """One aggregate query: count, sum and cumulative bucket counts per terminal status."""
    seconds = cast(_seconds(session), Float)
    buckets = [
        func.sum(case((seconds <= literal(bound), 1), else_=0)) for bound in RUN_DURATION_BUCKETS_S
    ]
    rows = session.execute(
        select(Run.status, func.count(), func.sum(seconds), *buckets)
        .where(
            Run.status.in_(sorted(TERMINAL)),
            Run.started_at.is_not(None),
            Run.finished_at.is_not(None),
        )
        .group_by(Run.status)
    ).all()
    by_status = {row[0]: row[1:] for row in rows}
    family = HistogramMetricFamily(
        "podium_run_duration_seconds",
        "Run wall time from claim to end, by terminal status.",
        labels=["status"],
    )
    for status in sorted(TERMINAL):
        count, total, *cumulative = by_status.get(status, (0, 0.0, *[0] * len(buckets)))
        cut = zip(RUN_DURATION_BUCKETS_S, cumulative, strict=True)
        pairs = [(_le(bound), float(seen or 0)) for bound, seen in cut]
        family.add_metric([status], [*pairs, ("+Inf", float(count))], float(total or 0.0))
    return family


def _predictions(session: Session) -> Iterator[Metric]:
    """Per deployment: the persisted latency histogram and the request / error counters."""
    rows = session.execute(
        select(
            Deployment.slug,
            Deployment.latency_hist,
            Deployment.request_count,
            Deployment.error_count,
        ).order_by(Deployment.slug)
    ).all()
    latency = HistogramMetricFamily(
        "podium_predict_latency_seconds",
        "Predict latency per deployment (persisted buckets; no _sum is kept).",
        labels=["deployment"],
    )
    requests = CounterMetricFamily(
        "podium_predict_requests", "Predict calls per deployment.", labels=["deployment"]
    )
    errors = CounterMetricFamily(
        "podium_predict_errors", "Failed predict calls per deployment.", labels=["deployment"]
    )
    for slug, hist, request_count, error_count in rows:
        _add_latency(latency, slug, hist)
        requests.add_metric([slug], float(request_count or 0))
        errors.add_metric([slug], float(error_count or 0))
    yield from (latency, requests, errors)


def _add_latency(family: HistogramMetricFamily, slug: str, hist: dict[str, Any] | None) -> None:
    bounds: Sequence[float] = (hist or {}).get("bounds") or []
    counts: Sequence[int] = (hist or {}).get("counts") or []
    if len(counts) != len(bounds) + 1:
        return  # not a histogram this version understands
    pairs, seen = [], 0
    for bound_ms, count in zip(bounds, counts[:-1], strict=True):
        seen += int(count)
        pairs.append((_le(bound_ms / 1000), float(seen)))
    total = float(seen + int(counts[-1]))
    family.add_metric([slug], [*pairs, ("+Inf", total)], None)
    family.samples.append(Sample(f"{family.name}_count", {"deployment": slug}, total, None))


def _le(bound: float) -> str:
    return repr(float(bound))


# --- logs ----------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, logger, message (+ request fields, extras)."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise ``record`` (never raises for odd arguments: falls back to ``str``)."""
        body: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            body.update(_access_fields(record.args))
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in body:
                body[key] = value
        if record.exc_info:
            body["exc"] = self.formatException(record.exc_info)
        return json.dumps(body, default=str)


def _access_fields(args: Iterable[Any]) -> dict[str, Any]:
    """uvicorn's access arguments: client, method, path (with query), HTTP version, status."""
    values = list(args)
    if len(values) != len(ACCESS_FIELDS):
        return {}
    return dict(zip(ACCESS_FIELDS, values, strict=True))


def configure_logging(settings: Settings) -> None:
    """Apply ``PODIUM_LOG_FORMAT``: for ``json``, every plain stream handler writes JSON lines.

    Idempotent. Handlers of other kinds (files, test capture) keep their formatters; the root
    logger gets a stderr handler of its own when it has none, so Podium's loggers are heard.
    """
    if settings.log_format != "json":
        return
    formatter = JsonFormatter()
    root = logging.getLogger()
    if not any(_plain_stream(h) for h in root.handlers):
        root.addHandler(logging.StreamHandler(sys.stderr))
        root.setLevel(settings.log_level.upper())
    for name in JSON_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if _plain_stream(handler):
                handler.setFormatter(formatter)


def _plain_stream(handler: logging.Handler) -> bool:
    return type(handler) is logging.StreamHandler
