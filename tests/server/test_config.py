"""Settings fail fast and keep a generated secret in the data folder."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from podium.server.config import Settings, get_settings


class TestSettings:
    def test_defaults_and_generated_secret(self, tmp_path: Path) -> None:
        first = Settings(data_dir=tmp_path / "d")
        assert first.database_url == f"sqlite:///{tmp_path / 'd' / 'podium.db'}"
        assert first.artifact_root == tmp_path / "d" / "artifacts"
        key_file = tmp_path / "d" / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert len(first.signing_key) >= 32
        assert Settings(data_dir=tmp_path / "d").signing_key == first.signing_key
        assert Settings(data_dir=tmp_path / "other").signing_key != first.signing_key

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("secret_key", "short", "at least 32"),
            ("database_url", "mysql://x", "PODIUM_DATABASE_URL"),
            ("port", 0, "greater than or equal to 1"),
            ("embedded_workers", -1, "greater than or equal to 0"),
            ("dask_scheduler", "localhost:8786", "tcp://"),
            ("lease_s", 0.5, "greater than or equal to 2"),
            ("database_connect_timeout_s", 0, "greater than or equal to 1"),
            ("metrics_token", "short", "at least 16"),
        ],
    )
    def test_bad_values_fail_fast(
        self, tmp_path: Path, field: str, value: object, message: str
    ) -> None:
        with pytest.raises(ValidationError, match=message):
            Settings(data_dir=tmp_path, **{field: value})  # type: ignore[arg-type]

    def test_environment_and_cache(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PODIUM_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("PODIUM_PORT", "8123")
        get_settings.cache_clear()
        try:
            assert get_settings().port == 8123
            assert get_settings() is get_settings()
            monkeypatch.setenv("PODIUM_PORT", "not-a-port")
            get_settings.cache_clear()
            with pytest.raises(ValidationError, match="port"):
                get_settings()
        finally:
            get_settings.cache_clear()

    def test_tampered_short_secret_file(self, tmp_path: Path) -> None:
        (tmp_path / "secret_key").write_text("abc")
        with pytest.raises(ValidationError, match="shorter than 32"):
            Settings(data_dir=tmp_path)
