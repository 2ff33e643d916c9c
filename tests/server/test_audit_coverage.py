"""Every mutating API route records what it changes, or says why it changes nothing to audit.

Walks the app's routes (so a route added by anyone is checked): a POST/PUT/PATCH/DELETE route
must take the request session (``SessionDep``), whose commit guard refuses a commit that wrote
without ``audit.record`` (``services/audit.py``); or declare ``not_audited("reason")``. The guard
itself is exercised by every 2xx call of the authorization matrices, and by ``test_audit.py``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from podium.server.api import unmatched
from podium.server.api.deps import get_session
from podium.server.app import create_app
from podium.server.config import Settings
from podium.server.services.audit import MUTATING, NOT_AUDITED


def _uses(dependant: Dependant, call: object) -> bool:
    return dependant.call is call or any(_uses(d, call) for d in dependant.dependencies)


def _api_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every API route with its full path (routers are included lazily by FastAPI)."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.endpoint.__module__ != unmatched.__name__:
            found.append((str(context.path), route))
    return found


def test_the_walk_sees_the_routes(settings: Settings) -> None:
    paths = {path for path, _ in _api_routes(create_app(settings))}
    assert {"/api/v1/workspaces/{ws}/projects", "/api/v1/auth/login"} <= paths


def test_every_mutating_route_is_guarded_or_says_why(settings: Settings) -> None:
    unguarded = []
    for path, route in _api_routes(create_app(settings)):
        if not route.methods & MUTATING:
            continue
        reason = (route.openapi_extra or {}).get(NOT_AUDITED)
        if reason is not None:
            assert len(reason) > 20, f"{route.path}: say why it records nothing"
        elif not _uses(route.dependant, get_session):
            unguarded.append(f"{sorted(route.methods)} {path}")
    assert not unguarded, (
        f"mutating routes outside the audit guard: {unguarded}; take SessionDep and call "
        "audit.record(...) before committing, or mark openapi_extra=not_audited('why')"
    )


def test_exemptions_are_few_and_known(settings: Settings) -> None:
    exempt = sorted(
        f"{sorted(r.methods)[0]} {path}"
        for path, r in _api_routes(create_app(settings))
        if NOT_AUDITED in (r.openapi_extra or {})
    )
    assert exempt == [
        "POST /api/v1/auth/refresh",
        "POST /api/v1/deployments/{slug}/forecast",
        "POST /api/v1/deployments/{slug}/predict",
        "POST /api/v1/deployments/{slug}/predict/csv",
    ]
