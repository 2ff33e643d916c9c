"""The one table mapping service errors to HTTP statuses; every body is ``{"detail": ...}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from podium.server.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PodiumError,
    TooLarge,
    Unauthorized,
)

log = logging.getLogger("podium.server")

STATUS: dict[type[PodiumError], int] = {
    InvalidInput: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Unauthorized: status.HTTP_401_UNAUTHORIZED,
    Forbidden: status.HTTP_403_FORBIDDEN,
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    TooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
}


async def _podium_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PodiumError)
    code = STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
    return JSONResponse({"detail": exc.detail}, status_code=code, headers=headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        {"detail": [_clean(e) for e in exc.errors()]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _clean(error: Any) -> dict[str, Any]:
    """Keep where and what; drop the echoed input (it may be a password)."""
    return {"loc": list(error.get("loc", ())), "msg": error.get("msg"), "type": error.get("type")}


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
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(Exception, _unexpected)
