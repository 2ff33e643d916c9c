"""Webhooks: owners register http(s) endpoints; :func:`emit` queues a signed delivery per
subscribed webhook in the caller's transaction; workers send them with retries and backoff.

Signature (documented in the README): ``Podium-Signature: t=<unix seconds>,v1=<hex>`` where
``<hex>`` is HMAC-SHA256 of ``f"{t}.{raw body}"`` keyed with the webhook's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.config import Settings
from podium.server.db.base import utcnow
from podium.server.db.models import Webhook, WebhookDelivery
from podium.server.schemas.webhooks import WebhookCreate, WebhookUpdate
from podium.server.security import new_secret
from podium.server.services import access, audit
from podium.server.services.access import Member

EVENTS = ("run.finished", "run.failed", "deployment.changed", "drift.detected", "ping")
SECRET_PREFIX = "whsec_"
DELIVERIES_SHOWN = 100


def emit(session: Session, workspace_id: uuid.UUID, event: str, payload: dict[str, Any]) -> int:
    """Queue ``event`` for every active webhook of the workspace that subscribed to it, in the
    caller's transaction (the caller commits); how many deliveries were queued."""
    hooks = subscribers(session, workspace_id, event)
    for hook in hooks:
        enqueue(session, hook, event, payload)
    return len(hooks)


def subscribers(session: Session, workspace_id: uuid.UUID, event: str) -> list[Webhook]:
    """The active webhooks of the workspace that subscribed to ``event`` (a caller that tells
    each its own payload queues them one by one with :func:`enqueue`)."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; one of {EVENTS}")
    hooks = session.scalars(
        select(Webhook).where(Webhook.workspace_id == workspace_id, Webhook.active.is_(True))
    )
    return [hook for hook in hooks if event in hook.events or event == "ping"]


def enqueue(session: Session, hook: Webhook, event: str, payload: dict[str, Any]) -> None:
    """Queue one delivery of ``event`` to ``hook`` in the caller's transaction."""
    session.add(_delivery(hook, event, payload))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Podium-Signature`` header value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance_s: int = 300) -> bool:
    """What a receiver does: recompute the signature and check the timestamp is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def create(session: Session, member: Member, body: WebhookCreate) -> Webhook:
    """Register a webhook (owners); its secret is shown in this answer only."""
    member.require("owner")
    hook = Webhook(
        workspace_id=member.workspace_id,
        url=str(body.url),
        events=sorted(set(body.events)),
        secret=new_secret(SECRET_PREFIX),
        description=body.description,
        drift_min_severity=body.drift_min_severity,
        created_by=member.user_id,
    )
    session.add(hook)
    session.flush()
    _record(session, hook, "webhook.create")
    session.commit()
    return hook


def list_webhooks(session: Session, member: Member) -> list[Webhook]:
    """The workspace's webhooks, newest first (owners)."""
    member.require("owner")
    return list(
        session.scalars(
            select(Webhook)
            .where(Webhook.workspace_id == member.workspace_id)
            .order_by(Webhook.created_at.desc(), Webhook.id)
        )
    )


def get(session: Session, user_id: uuid.UUID, webhook_id: uuid.UUID) -> Webhook:
    """A webhook of a workspace the caller owns (404 for outsiders, 403 below owner)."""
    return access.fetch(session, Webhook, webhook_id, user_id, "owner", kind="webhook")


def update(
    session: Session, user_id: uuid.UUID, webhook_id: uuid.UUID, body: WebhookUpdate
) -> Webhook:
    """Change the URL, events, description, or pause/resume (owners); a field sent as null
    keeps its value, as a field left out does."""
    hook = get(session, user_id, webhook_id)
    changed = body.model_dump(exclude_unset=True, exclude_none=True, mode="json")
    for name, value in changed.items():
        setattr(hook, name, sorted(set(value)) if name == "events" else value)
    _record(session, hook, "webhook.update", changed=sorted(changed))
    session.commit()
    return hook


def delete(session: Session, user_id: uuid.UUID, webhook_id: uuid.UUID) -> None:
    """Delete a webhook and its delivery log (owners)."""
    hook = get(session, user_id, webhook_id)
    _record(session, hook, "webhook.delete")
    session.delete(hook)
    session.commit()


def ping(session: Session, user_id: uuid.UUID, webhook_id: uuid.UUID) -> WebhookDelivery:
    """Queue a ``ping`` delivery to check the endpoint and its signature check (owners)."""
    hook = get(session, user_id, webhook_id)
    row = _delivery(hook, "ping", {"webhook_id": str(hook.id)})
    session.add(row)
    session.flush()
    _record(session, hook, "webhook.ping", delivery_id=str(row.id))
    session.commit()
    return row


def deliveries(session: Session, user_id: uuid.UUID, webhook_id: uuid.UUID) -> list[Any]:
    """The webhook's newest deliveries (its delivery log, owners)."""
    hook = get(session, user_id, webhook_id)
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == hook.id)
            .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
            .limit(DELIVERIES_SHOWN)
        )
    )


@dataclass(frozen=True)
class Outgoing:
    """What a worker sends for one claimed delivery."""

    url: str
    body: bytes
    headers: dict[str, str]


def outgoing(session: Session, row: WebhookDelivery, now: int) -> Outgoing | None:
    """The signed request of a claimed delivery (None: its webhook is gone)."""
    hook = session.get(Webhook, row.webhook_id)
    if hook is None:
        return None
    body = json.dumps(row.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Podium-Webhooks/1",
        "Podium-Event": row.event,
        "Podium-Delivery": str(row.id),
        "Podium-Signature": sign(hook.secret, now, body),
    }
    return Outgoing(hook.url, body, headers)


def attempt_end(
    settings: Settings, row: WebhookDelivery, code: int | None, error: str | None
) -> dict[str, Any]:
    """How an attempt ends: delivered on a 2xx, else retried after ``backoff · 2^(n-1)`` until
    ``PODIUM_WEBHOOK_ATTEMPTS`` tries were made, then failed."""
    attempts = row.attempts + 1
    base = {"attempts": attempts, "response_code": code, "error": error}
    if code is not None and 200 <= code < 300:
        return {**base, "status": "delivered", "error": None}
    if attempts >= settings.webhook_attempts:
        return {**base, "status": "failed"}
    delay = settings.webhook_backoff_s * 2 ** (attempts - 1)
    return {
        **base,
        "status": "queued",
        "worker_id": None,
        "next_attempt_at": utcnow() + timedelta(seconds=delay),
    }


def _delivery(hook: Webhook, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    delivery_id = uuid.uuid4()
    body = {
        "id": str(delivery_id),
        "event": event,
        "workspace_id": str(hook.workspace_id),
        "created_at": utcnow().isoformat(),
        "data": payload,
    }
    return WebhookDelivery(
        id=delivery_id,
        workspace_id=hook.workspace_id,
        webhook_id=hook.id,
        event=event,
        payload=body,
        status="queued",
        attempts=0,
        next_attempt_at=utcnow(),
    )


def _record(session: Session, hook: Webhook, action: str, **detail: object) -> None:
    """The URL and events only: never the secret."""
    audit.record(
        session,
        workspace_id=hook.workspace_id,
        action=action,
        resource_type="webhook",
        resource_id=hook.id,
        detail={"url": hook.url, "events": hook.events, **detail},
    )
