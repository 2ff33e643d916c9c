"""The one table mapping service errors to HTTP statuses.

Every error body is ``{"detail": "<one sentence>"}`` (``schemas.common.ErrorResponse``), request
validation errors included: their list is turned into one sentence naming each field.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from podium.server.errors import (
    Conflict,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    PodiumError,
    TooLarge,
    TooManyRequests,
    Unauthorized,
    without_paths,
)

log = logging.getLogger("podium.server")
MAX_LISTED = 10
FRIENDLY = {
    "missing": "required",
    "extra_forbidden": "unknown field; remove it (see the API docs for the accepted fields)",
}

STATUS: dict[type[PodiumError], int] = {
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Unauthorized: status.HTTP_401_UNAUTHORIZED,
    Forbidden: status.HTTP_403_FORBIDDEN,
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Gone: status.HTTP_410_GONE,
    TooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
    TooManyRequests: status.HTTP_429_TOO_MANY_REQUESTS,
}


async def _podium_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PodiumError)
    code = STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after_s)}
    settings = request.app.state.settings
    detail = without_paths(exc.detail, settings.artifact_root, settings.data_dir)
    return JSONResponse({"detail": detail}, status_code=code, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        {"detail": validation_message(exc.errors())},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def validation_message(errors: Sequence[Any]) -> str:
    """One sentence naming each invalid field and what is wrong (the input is never echoed:
    it may be a password)."""
    parts = [_one(error) for error in errors[:MAX_LISTED]]
    if len(errors) > MAX_LISTED:
        parts.append(f"and {len(errors) - MAX_LISTED} more")
    return "; ".join(parts) or "the request is invalid"


def _one(error: Any) -> str:
    loc = [p for p in error.get("loc", ()) if p is not None]
    kind = str(loc[0]) if loc else "body"
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return f"the request body is not valid JSON ({reason}); send a JSON object"
    msg = str(error.get("msg") or "invalid")
    msg = FRIENDLY.get(str(error.get("type")), msg.removeprefix("Value error, "))
    field = _path(loc[1:])
    if kind == "body":
        return f"{field}: {msg}" if field else f"request body: {msg}"
    return f"{kind} parameter {field or '?'}: {msg}"


def _path(parts: Sequence[Any]) -> str:
    """``rows[0].age`` from ``("rows", 0, "age")``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's and FastAPI's own refusals; a JSON body that is not UTF-8 (FastAPI: 400 "There
    was an error parsing the body") is a 422 like any other body that is not JSON."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        detail = "the request body is not valid JSON (not UTF-8 text); send a JSON object"
        return JSONResponse({"detail": detail}, status_code=422)
    return await http_exception_handler(request, exc)


async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    log.info("integrity error: %s", exc)
    return JSONResponse(
        {"detail": "this conflicts with an existing record (a name or id is already taken)"},
        status_code=status.HTTP_409_CONFLICT,
    )


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(
        {"detail": "internal error; the server log has the details"},
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


def install(app: FastAPI) -> None:
    """Register the handler table on ``app``."""
    kinds: list[type[Exception]] = [PodiumError, *STATUS]
    for kind in kinds:
        app.add_exception_handler(kind, _podium_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(Exception, _unexpected)
