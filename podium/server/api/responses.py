"""OpenAPI declarations of the error answers a route can give, beside the route.

``responses=errors(401, 404, 422)`` declares each status with the one error body
(``ErrorResponse``: ``{"detail": str}``). Declare what the route's dependencies and services can
raise: ``CurrentUser`` → 401; a workspace lookup → 404; a role check → 403; a state check or a
taken name → 409; a path, query or body parameter → 422 (FastAPI's list-shaped 422 is replaced).
``tests/server/test_openapi_contract.py`` checks the declarations against the dependencies, and
``tests/server/test_schemathesis.py`` checks them against what the server really answers.
"""

from __future__ import annotations

from typing import Any

from podium.server.schemas.common import ErrorResponse
from podium.server.services.audit import NOT_AUDITED

DESCRIPTIONS: dict[int, str] = {
    400: "The request cannot be read",
    401: "Not signed in, or the token or API key is invalid or expired",
    403: "Your role (or this key) does not allow this",
    404: "Not found, or not in a workspace you belong to",
    409: "Conflicts with the current state (a taken name, a run in progress…)",
    410: "The link expired, was used already, or was revoked",
    413: "The body is larger than the configured limit",
    422: "The request is invalid; the detail names each field and what is wrong",
    426: "This path is a WebSocket endpoint",
    429: "Too many attempts; retry after the Retry-After seconds",
    503: "A dependency (the database) is unavailable",
}


def not_audited(reason: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """``openapi_extra=`` for a mutating route that records no audit row, saying why (the
    commit guard in ``services/audit.py`` then lets its commits through)."""
    return {**(extra or {}), NOT_AUDITED: reason}


def errors(*codes: int, notes: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status with the shared error body; ``notes`` replaces
    the generic description of a status where the route can say more."""
    texts = DESCRIPTIONS | (notes or {})
    unknown = [c for c in codes if c not in texts]
    if unknown:
        raise ValueError(f"no description for status {unknown}; add it to DESCRIPTIONS")
    return {c: {"model": ErrorResponse, "description": texts[c]} for c in sorted(codes)}
