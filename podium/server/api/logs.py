"""Keep secrets out of logs: access tokens in query strings are masked."""

from __future__ import annotations

import logging
import re

TOKEN = re.compile(r"([?&](?:token|access_token|api_key)=)[^&\s\"']*")
LOGGERS = ("uvicorn.access", "uvicorn.error")


def scrub(text: str) -> str:
    """Mask ``token=…`` style query parameters."""
    return TOKEN.sub(r"\1***", text)


class TokenFilter(logging.Filter):
    """A logging filter that masks tokens in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    """Attach the filter to uvicorn's loggers (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TokenFilter) for f in logger.filters):
            logger.addFilter(TokenFilter())
