"""Podium's settings: one class, read from ``PODIUM_*`` environment variables, failing fast.

Read it through :func:`get_settings` (cached); nothing else in Podium reads the environment.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_KEY_FILE = "secret_key"
MIN_SECRET_LENGTH = 32
MIN_METRICS_TOKEN_LENGTH = 16


class Settings(BaseSettings):
    """Configuration of the server and the workers.

    Every field maps to ``PODIUM_<FIELD>`` (e.g. ``PODIUM_DATABASE_URL``). Bad values raise a
    ``pydantic.ValidationError`` naming the variable at start-up, never later.
    """

    model_config = SettingsConfigDict(env_prefix="PODIUM_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        Path(".podium"), description="Folder for the SQLite file, artifacts, key."
    )
    database_url: str = Field("", description="SQLAlchemy URL; empty → SQLite file in data_dir.")
    database_connect_timeout_s: int = Field(
        5, ge=1, le=300, description="Give up connecting to PostgreSQL after this many seconds."
    )
    artifacts_dir: Path | None = Field(
        None, description="Artifact store folder (data_dir/artifacts)."
    )
    secret_key: SecretStr | None = Field(None, description="JWT signing key; generated if unset.")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["text", "json"] = Field(
        "text", description="Log lines: text, or json (one object per line: ts, level, …)."
    )
    access_token_ttl_s: int = Field(900, ge=30, le=86_400)
    refresh_token_ttl_s: int = Field(30 * 86_400, ge=300, le=365 * 86_400)
    allow_registration: bool = False
    max_upload_bytes: int = Field(
        200 * 1024 * 1024, ge=1024, description="Cap of an uploaded file (413 above)."
    )
    max_upload_rows: int = Field(5_000_000, ge=1, description="Rows of an uploaded table.")
    max_upload_columns: int = Field(2_000, ge=1, description="Columns of an uploaded table.")
    max_upload_expanded_bytes: int = Field(
        2 * 1024**3, ge=1024, description="An uploaded table's size once read into memory."
    )
    max_predict_bytes: int = Field(
        4 * 1024 * 1024, ge=1024, description="Cap of a JSON predict body (413 above)."
    )
    embedded_workers: int = Field(1, ge=0, le=32)
    api_workers: int = Field(
        1, ge=1, le=64, description="API processes `podium serve` starts (uvicorn workers)."
    )
    pipeline_cache_size: int = Field(
        8, ge=1, le=1024, description="Loaded pipelines each API process keeps (LRU)."
    )
    serve_onnx: bool = Field(
        True, description="Score with a pipeline's verified ONNX export under onnxruntime."
    )
    preload_every_s: float = Field(
        5.0,
        gt=0.0,
        le=3600.0,
        description="How often each API process loads pipelines of new active deployments.",
    )
    dask_scheduler: str | None = None
    fit_memory_mib: int = Field(
        320,
        ge=1,
        le=1024 * 1024,
        description="What a worker's fits in flight may allocate together beside their folds "
        "(MiB); a fit that would pass it waits and runs alone (not on a Dask cluster).",
    )
    worker_warmup: bool = Field(True, description="Start the engine's process pool at start-up.")
    lease_s: float = Field(30.0, ge=2.0, le=3600.0, description="Run lease; renewed every lease/3.")
    worker_poll_s: float = Field(0.25, gt=0.0, le=60.0, description="Idle worker's queue poll.")
    events_poll_s: float = Field(0.1, gt=0.0, le=5.0, description="Live event poll interval.")
    maintenance_every_s: float = Field(
        60.0,
        gt=0.0,
        le=86_400.0,
        description="How often a worker looks for periodic work (log pruning, scheduled drift).",
    )
    log_prune_every_s: float = Field(
        600.0, gt=0.0, description="Prediction logs of a deployment are pruned this often."
    )
    worker_stale_s: float = Field(15.0, gt=0.0, description="Worker heartbeat age counted as dead.")
    webhook_attempts: int = Field(6, ge=1, le=20, description="Tries per webhook delivery.")
    webhook_backoff_s: float = Field(
        10.0, gt=0.0, le=3600.0, description="Wait before the 2nd try; doubles after each failure."
    )
    webhook_timeout_s: float = Field(10.0, gt=0.0, le=60.0, description="Per webhook request.")
    web_dist: Path = Field(Path("apps/web/dist"), description="Built SPA served at / when present.")
    cors_origins: list[str] = Field(default_factory=list)
    metrics_token: SecretStr | None = Field(
        None, description="Bearer token for /metrics and the detailed /healthz (Prometheus)."
    )
    public_metrics: bool = Field(
        False, description="Serve /metrics and the detailed /healthz to anyone (private networks)."
    )
    login_attempts_per_account: int = Field(
        10, ge=1, le=10_000, description="Failed password attempts per account per window."
    )
    login_attempts_per_client: int = Field(
        30, ge=1, le=100_000, description="Failed password attempts per client address per window."
    )
    login_window_s: float = Field(
        300.0, ge=1.0, le=86_400.0, description="Sliding window of the attempt limits (429 above)."
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Proxies trusted to name the client in X-Forwarded-For ('*': any).",
    )

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError(
                "PODIUM_DATABASE_URL must be sqlite:///path or postgresql+psycopg://user@host/db"
            )
        return value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_name(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("dask_scheduler")
    @classmethod
    def _dask_address(cls, value: str | None) -> str | None:
        if value is not None and value.strip() == "":
            return None
        if value is not None and "://" not in value:
            raise ValueError("PODIUM_DASK_SCHEDULER must look like tcp://host:8786")
        return value

    @field_validator("secret_key")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"PODIUM_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters; "
                "unset it to have one generated in the data folder"
            )
        return value

    @field_validator("metrics_token")
    @classmethod
    def _strong_metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value().strip() == "":
            return None
        if len(value.get_secret_value()) < MIN_METRICS_TOKEN_LENGTH:
            raise ValueError(
                f"PODIUM_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_LENGTH} characters "
                "(e.g. the output of `openssl rand -hex 24`)"
            )
        return value

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        data_dir = self.data_dir.expanduser().resolve()
        object.__setattr__(self, "data_dir", data_dir)
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'podium.db'}")
        if self.artifacts_dir is None:
            object.__setattr__(self, "artifacts_dir", data_dir / "artifacts")
        if self.secret_key is None:
            object.__setattr__(self, "secret_key", SecretStr(_load_or_create_secret(data_dir)))
        return self

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is an (embedded) SQLite file."""
        return self.database_url.startswith("sqlite")

    @property
    def artifact_root(self) -> Path:
        """The artifact store folder (always set after validation)."""
        assert self.artifacts_dir is not None  # filled by the validator
        return self.artifacts_dir

    @property
    def signing_key(self) -> str:
        """The JWT signing key (always set after validation)."""
        assert self.secret_key is not None  # filled by the validator
        return self.secret_key.get_secret_value()


def _load_or_create_secret(data_dir: Path) -> str:
    """Read the data folder's secret key, creating it atomically (mode 600) on first start."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text().strip()
        if len(value) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"{path} holds a secret shorter than {MIN_SECRET_LENGTH} characters; "
                "delete it to have a new one generated (this signs everybody out)"
            ) from None
        return value
    value = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cached; tests call ``get_settings.cache_clear()``)."""
    return Settings()
