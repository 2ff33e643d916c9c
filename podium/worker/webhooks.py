"""The ``webhook_deliveries`` job kind: POST one signed delivery, then end it delivered,
retried later (exponential backoff) or failed. The worker writes no SQL: the request and the
end come from ``services/webhooks.py``; the transitions are ``services/queue.py``'s.

Redirects are not followed (a 3xx counts as a failed attempt), so a delivery goes only to the
URL its owner registered.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import cast

from podium.server.db.models import WebhookDelivery
from podium.server.services import queue, webhooks
from podium.server.services.queue import DeliveryEnd
from podium.worker.jobs import WorkerContext

log = logging.getLogger(__name__)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        """Refuse every redirect: the 3xx is the attempt's answer."""
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def send(out: webhooks.Outgoing, timeout_s: float) -> tuple[int | None, str | None]:
    """POST; the response code (None when there was none) and an error message."""
    request = urllib.request.Request(out.url, data=out.body, headers=out.headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            return int(response.status), None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(exc).__name__}: {reason}"[:500]


@dataclass
class WebhookJob:
    """A claimed delivery (``queue.WEBHOOKS``)."""

    row: WebhookDelivery

    @property
    def label(self) -> str:
        """``webhook:<delivery id>``."""
        return f"{queue.WEBHOOKS.label}:{self.row.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the lease."""
        with ctx.db.sessions() as session:
            return queue.renew(
                session, queue.WEBHOOKS, self.row.id, ctx.worker_id, ctx.settings.lease_s
            )

    def execute(self, ctx: WorkerContext) -> None:
        """Send once; record the attempt (delivered, queued again with backoff, or failed)."""
        with ctx.db.sessions() as session:
            out = webhooks.outgoing(session, self.row, int(time.time()))
        code: int | None = None
        error: str | None = "the webhook was deleted"
        if out is not None:
            code, error = send(out, ctx.settings.webhook_timeout_s)
        end = cast(DeliveryEnd, webhooks.attempt_end(ctx.settings, self.row, code, error))
        if out is None:
            end = {"status": "failed", "error": error, "attempts": self.row.attempts + 1}
        with ctx.db.sessions() as session:
            if not queue.finish(session, queue.WEBHOOKS, self.row.id, ctx.worker_id, end):
                log.warning("delivery %s was no longer ours when it ended", self.row.id)
