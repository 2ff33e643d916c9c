"""Webhooks of a workspace (owners): register, list, change, delete, ping, delivery log."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.schemas.webhooks import (
    DeliveryList,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookRead,
    WebhookUpdate,
)
from podium.server.services import webhooks

router = APIRouter(tags=["webhooks"])


@router.post(
    "/workspaces/{ws}/webhooks",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 422),
)
def create_webhook(
    body: WebhookCreate, member: WorkspaceMember, session: SessionDep
) -> WebhookCreated:
    """Register an http(s) endpoint for events (owners); answers its signing secret once."""
    hook = webhooks.create(session, member, body)
    return WebhookCreated.model_validate(hook)


@router.get("/workspaces/{ws}/webhooks", name="list", responses=errors(401, 403, 404, 422))
def list_webhooks(member: WorkspaceMember, session: SessionDep) -> WebhookList:
    """The workspace's webhooks (owners)."""
    data = [WebhookRead.model_validate(h) for h in webhooks.list_webhooks(session, member)]
    return WebhookList(data=data, count=len(data))


@router.patch("/webhooks/{webhook_id}", name="update", responses=errors(401, 403, 404, 422))
def update_webhook(
    webhook_id: uuid.UUID, body: WebhookUpdate, session: SessionDep, user: CurrentUser
) -> WebhookRead:
    """Change URL, events or description; ``active: false`` pauses it (owners)."""
    return WebhookRead.model_validate(webhooks.update(session, user.id, webhook_id, body))


@router.delete(
    "/webhooks/{webhook_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 422),
)
def delete_webhook(webhook_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Delete a webhook and its delivery log (owners)."""
    webhooks.delete(session, user.id, webhook_id)


@router.post(
    "/webhooks/{webhook_id}/ping",
    name="ping",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(401, 403, 404, 422),
)
def ping_webhook(webhook_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> DeliveryRead:
    """Queue a signed ``ping`` delivery to test the endpoint (owners)."""
    return DeliveryRead.model_validate(webhooks.ping(session, user.id, webhook_id))


@router.get(
    "/webhooks/{webhook_id}/deliveries", name="deliveries", responses=errors(401, 403, 404, 422)
)
def list_deliveries(webhook_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> DeliveryList:
    """The newest 100 deliveries: status, attempts, last response code or error (owners)."""
    rows = webhooks.deliveries(session, user.id, webhook_id)
    data = [DeliveryRead.model_validate(r) for r in rows]
    return DeliveryList(data=data, count=len(data))
