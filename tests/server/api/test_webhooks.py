"""Webhooks through the API: register (secret once), change, delete, the delivery log, what
queues deliveries, and the signature a receiver checks. Delivery by a real worker to a real
receiver is in tests/worker/test_webhook_deliveries.py."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select

from podium.server.config import Settings
from podium.server.db.models import AuditEvent, WebhookDelivery
from podium.server.db.session import Database
from podium.server.services import webhooks
from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import World

URL = "https://hooks.example.com/podium"


def _create(world: World, **body: Any) -> Any:
    payload = {"url": URL, "events": ["run.finished", "deployment.changed"], **body}
    return world.client.post(
        f"/api/v1/workspaces/{world.ws}/webhooks", json=payload, headers=world.owner.headers
    )


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


class TestManage:
    def test_create_list_update_delete(self, world: World) -> None:
        created = _create(world).json()
        assert created["secret"].startswith("whsec_")
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/webhooks", headers=world.owner.headers
        ).json()
        assert listed["count"] == 1
        assert "secret" not in listed["data"][0]
        url = f"/api/v1/webhooks/{created['id']}"
        assert created["drift_min_severity"] == "medium"  # drift alerts as before the setting
        r = world.client.patch(
            url, json={"active": False, "drift_min_severity": "high"}, headers=world.owner.headers
        )
        assert (r.json()["active"], r.json()["drift_min_severity"]) == (False, "high")
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204
        with _db(world).sessions() as session:
            rows = list(session.scalars(select(AuditEvent).order_by(AuditEvent.at)))
        assert [r.action for r in rows] == ["webhook.create", "webhook.update", "webhook.delete"]
        assert created["secret"] not in str([r.detail for r in rows])

    def test_null_fields_keep_their_value(self, world: World) -> None:
        """Found by schemathesis: `{"active": null}` hit the NOT NULL column and answered 409."""
        created = _create(world, description="ops").json()
        nulls = {"url": None, "events": None, "description": None, "drift_min_severity": None}
        for body in ({"active": None}, nulls):
            r = world.client.patch(
                f"/api/v1/webhooks/{created['id']}", json=body, headers=world.owner.headers
            )
            assert r.status_code == 200, r.json()
            kept = r.json()
            assert (kept["active"], kept["url"], kept["description"]) == (True, URL, "ops")
            assert kept["events"] == sorted(created["events"])

    def test_bad_bodies_say_what_to_fix(self, world: World) -> None:
        for body, words in (
            ({"url": "ftp://example.com/x"}, "url"),
            ({"url": "file:///etc/passwd"}, "url"),
            ({"events": []}, "events"),
            ({"events": ["run.exploded"]}, "events"),
            ({"drift_min_severity": "none"}, "drift_min_severity"),
        ):
            r = _create(world, **body)
            assert r.status_code == 422, body
            assert words in r.json()["detail"], r.json()


class TestEmit:
    def test_deployment_changes_queue_deliveries_for_subscribers(self, world: World) -> None:
        _create(world)
        _create(world, events=["run.failed"])  # not subscribed: nothing for it
        paused = _create(world).json()
        world.client.patch(
            f"/api/v1/webhooks/{paused['id']}", json={"active": False}, headers=world.owner.headers
        )
        dep = deploy(world, str(ready_pipeline(world)["id"]), slug="hooked")
        world.client.patch(
            f"/api/v1/deployments/{dep['id']}",
            json={"status": "paused"},
            headers=world.owner.headers,
        )
        with _db(world).sessions() as session:
            rows = list(
                session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at))
            )
        assert [r.payload["data"]["action"] for r in rows] == [
            "deployment.create",
            "deployment.update",
        ]
        assert {r.event for r in rows} == {"deployment.changed"}
        assert rows[1].payload["data"]["status"] == "paused"


class TestSignature:
    def test_sign_and_verify(self) -> None:
        body = b'{"event":"ping"}'
        header = webhooks.sign("whsec_k", 1_700_000_000, body)
        assert header.startswith("t=1700000000,v1=")
        assert webhooks.verify("whsec_k", header, body, 1_700_000_100)
        assert not webhooks.verify("whsec_k", header, body + b" ", 1_700_000_100)
        assert not webhooks.verify("whsec_k", header, body, 1_700_000_000 + 301)  # too old
        assert not webhooks.verify("whsec_k", "garbage", body, 1_700_000_000)

    def test_backoff_doubles_then_gives_up(self, settings: Settings) -> None:
        row = WebhookDelivery(attempts=0)
        delays = []
        for attempt in range(settings.webhook_attempts):
            row.attempts = attempt
            end = webhooks.attempt_end(settings, row, 500, "HTTP 500")
            if end["status"] == "queued":
                delays.append(end["next_attempt_at"])
        assert end["status"] == "failed"
        assert len(delays) == settings.webhook_attempts - 1
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(delays)]
        assert all(g > 0 for g in gaps)
        assert webhooks.attempt_end(settings, row, 204, None)["status"] == "delivered"
