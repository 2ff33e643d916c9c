"""Typed dependencies: settings, session, artifact store, current user, workspace member,
and the app's predict cache and stats buffer (created once by ``create_app``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from podium.server.config import Settings
from podium.server.db.models import User
from podium.server.db.session import Database
from podium.server.errors import Unauthorized
from podium.server.security import decode_access_token
from podium.server.services import access, accounts, audit
from podium.server.services.access import Member
from podium.server.services.predict_stats import StatsBuffer
from podium.server.services.predictions import PipelineCache
from podium.server.storage import ArtifactStore
from podium.server.throttle import PasswordGate

bearer = HTTPBearer(auto_error=False, description="Access token from /auth/login")


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Database:
    """The process's database."""
    db: Database = request.app.state.db
    return db


def get_session(request: Request, db: Annotated[Database, Depends(get_db)]) -> Iterator[Session]:
    """A session per request; anything not committed by a service is rolled back.

    The session carries the request's audit context (client address, route); a mutating
    route's commits must record what they change (``services/audit.py``).
    """
    with db.sessions() as session:
        audit.bind(session, audit_context(request))
        yield session


def audit_context(request: Request) -> audit.AuditContext:
    """The audit context of ``request``: its route, client address, and whether it is guarded."""
    route = request.scope.get("route")
    path = getattr(route, "path_format", request.url.path)
    extra = getattr(route, "openapi_extra", None) or {}
    return audit.AuditContext(
        route=f"{request.method} {path}",
        client=request.client.host if request.client else "",
        guarded=request.method in audit.MUTATING and audit.NOT_AUDITED not in extra,
    )


def get_store(request: Request) -> ArtifactStore:
    """The artifact store."""
    store: ArtifactStore = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
StoreDep = Annotated[ArtifactStore, Depends(get_store)]


async def get_pipeline_cache(request: Request) -> PipelineCache:
    """This app's cache of loaded pipelines (async: no thread-pool trip on the predict path)."""
    cache: PipelineCache = request.app.state.pipeline_cache
    return cache


async def get_predict_stats(request: Request) -> StatsBuffer:
    """This app's predict statistics buffer (async: no thread-pool trip on the predict path)."""
    stats: StatsBuffer = request.app.state.predict_stats
    return stats


PipelineCacheDep = Annotated[PipelineCache, Depends(get_pipeline_cache)]
PredictStatsDep = Annotated[StatsBuffer, Depends(get_predict_stats)]


def flush_predict_stats(stats: PredictStatsDep) -> None:
    """Write this process's pending predict statistics (before a route reads them)."""
    stats.flush()


def password_gate(request: Request) -> PasswordGate:
    """Attempt limits and bounded hashing for a request that checks or sets a password."""
    client = request.client.host if request.client else "unknown"
    return PasswordGate(request.app.state.attempts, request.app.state.hashing, client)


PasswordGateDep = Annotated[PasswordGate, Depends(password_gate)]


def current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user of the bearer access token (401 when missing, bad or expired)."""
    if credentials is None:
        raise Unauthorized("not signed in: send 'Authorization: Bearer <access_token>'")
    claims = decode_access_token(credentials.credentials, settings.signing_key)
    user = accounts.active_user(session, claims)
    audit.set_actor(session, user)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def optional_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User | None:
    """The signed-in user when a bearer token is sent (401 when it is bad), else None."""
    if credentials is None:
        return None
    return current_user(session, settings, credentials)


OptionalUser = Annotated[User | None, Depends(optional_user)]


def monitor_access(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> bool:
    """Whether the caller may see monitoring detail (metrics token, admin, or public setting)."""
    return accounts.can_monitor(session, settings, credentials.credentials if credentials else None)


MonitorAccess = Annotated[bool, Depends(monitor_access)]


def workspace_member(ws: uuid.UUID, session: SessionDep, user: CurrentUser) -> Member:
    """The caller's membership in workspace ``ws`` (404 when not a member)."""
    return access.membership(session, ws, user.id, kind="workspace", ident=ws)


WorkspaceMember = Annotated[Member, Depends(workspace_member)]
