"""API paths no route serves: 404 for an unknown path, 405 with ``Allow`` for a known path asked
with another method, 426 for an HTTP request to a WebSocket path. JSON ``{"detail": ...}`` like
every API error, whether or not the web app is served (never its ``index.html``)."""

from __future__ import annotations

from typing import Any, NoReturn

from fastapi import FastAPI, HTTPException, Request
from starlette.routing import BaseRoute, Match

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def install(app: FastAPI, prefix: str) -> None:
    """Answer every method on ``prefix`` and below that no earlier route matched.

    Install it after the API routers and before the web app's catch-all: the routes before it
    are the API's, so they are the ones asked which methods a path allows.
    """

    @app.api_route(prefix, methods=METHODS, include_in_schema=False, response_model=None)
    @app.api_route(
        prefix + "/{path:path}", methods=METHODS, include_in_schema=False, response_model=None
    )
    def unmatched(request: Request) -> NoReturn:
        routes = app.router.routes
        first = next(i for i, r in enumerate(routes) if getattr(r, "endpoint", None) is unmatched)
        raise _refusal(routes[:first], request)


def _refusal(routes: list[BaseRoute], request: Request) -> HTTPException:
    path, method = request.url.path, request.method
    allowed = [m for m in METHODS if _matches(routes, {"type": "http", "method": m}, path)]
    if allowed:
        methods = ", ".join(allowed)
        detail = f"{method} is not allowed on {path}; use {methods}"
        return HTTPException(405, detail, headers={"Allow": methods})
    if _matches(routes, {"type": "websocket"}, path):
        detail = f"{path} is a WebSocket endpoint; connect with ws:// (or wss://)"
        return HTTPException(426, detail, headers={"Upgrade": "websocket"})
    return HTTPException(404, f"no API route {path}; the API's paths are listed at /docs")


def _matches(routes: list[BaseRoute], scope: dict[str, Any], path: str) -> bool:
    scope = {**scope, "path": path, "root_path": "", "path_params": {}}
    return any(route.matches(scope)[0] == Match.FULL for route in routes)
