"""``PODIUM_LOG_FORMAT=json``: the setting, and the formatter's line shape (the processes that
use it end to end are in ``test_live_stream.py``)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from podium.server.api.logs import TokenFilter
from podium.server.config import Settings
from podium.server.observability import JsonFormatter


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, secret_key="k" * 40, **values)  # type: ignore[arg-type]


def test_setting_defaults_to_text_accepts_any_case_refuses_others(tmp_path: Path) -> None:
    assert _settings(tmp_path).log_format == "text"
    assert _settings(tmp_path, log_format=" JSON ").log_format == "json"
    with pytest.raises(ValidationError, match="log_format"):
        _settings(tmp_path, log_format="xml")


def _access(path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", path, "1.1", 200),
        None,
    )


def test_access_line_has_request_fields_and_no_token() -> None:
    record = _access("/api/v1/runs/x/events/ws?token=secret-value&after_id=3")
    TokenFilter().filter(record)  # attached to uvicorn's loggers by the app
    line = JsonFormatter().format(record)
    body = json.loads(line)
    assert "\n" not in line
    assert body["level"] == "info"
    assert body["logger"] == "uvicorn.access"
    assert body["ts"].endswith("+00:00")
    assert body["method"] == "GET"
    assert body["status"] == 200
    assert body["client"] == "127.0.0.1:5000"
    assert body["path"] == "/api/v1/runs/x/events/ws?token=***&after_id=3"
    assert "secret-value" not in line


def test_exceptions_and_extras_are_fields() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        info = sys.exc_info()
    record = logging.LogRecord("podium.worker", logging.ERROR, __file__, 1, "run %s", ("r1",), info)
    record.run_id = "r1"
    body = json.loads(JsonFormatter().format(record))
    assert body["message"] == "run r1"
    assert body["run_id"] == "r1"
    assert "RuntimeError: boom" in body["exc"]
