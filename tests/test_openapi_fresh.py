"""The web app's OpenAPI copy and its generated TypeScript types match the server's schema.

`apps/web/openapi.json` is written by ``podium openapi`` and ``src/api/schema.gen.ts`` by
``npm run gen:api`` (both via ``make openapi``). This fails when either is stale, so a server
change cannot silently drift from the typed client the browser uses.
"""

from __future__ import annotations

import importlib.util
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "apps" / "web"
SPEC = WEB / "openapi.json"
TYPES = WEB / "src" / "api" / "schema.gen.ts"
FIX = "run `make openapi` and commit apps/web/openapi.json and apps/web/src/api/schema.gen.ts"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("podium.server.app") is None,
    reason="podium.server.app does not exist yet, so there is no server schema to compare",
)


def _server_schema() -> object:
    """The schema exactly as ``podium openapi`` prints it, from a real process."""
    podium = Path(sys.executable).with_name("podium")
    cmd = (
        [str(podium), "openapi"] if podium.exists() else [sys.executable, "-m", "podium", "openapi"]
    )
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def test_openapi_json_matches_server() -> None:
    assert SPEC.exists(), f"{SPEC.relative_to(ROOT)} is missing: {FIX}"
    committed = json.loads(SPEC.read_text(encoding="utf-8"))
    assert committed == _server_schema(), f"apps/web/openapi.json is stale: {FIX}"


def _gen_command(out: Path) -> list[str]:
    """`npm run gen:api` from package.json, with its output redirected to ``out``."""
    script = json.loads((WEB / "package.json").read_text(encoding="utf-8"))["scripts"]["gen:api"]
    args = shlex.split(script)
    args[args.index("-o") + 1] = str(out)
    binary = WEB / "node_modules" / ".bin" / args[0]
    if not binary.exists():
        pytest.skip(f"{args[0]} is not installed: run `cd apps/web && npm ci` first")
    return [str(binary), *args[1:]]


def test_generated_types_match_openapi_json(tmp_path: Path) -> None:
    assert SPEC.exists(), f"{SPEC.relative_to(ROOT)} is missing: {FIX}"
    assert TYPES.exists(), f"{TYPES.relative_to(ROOT)} is missing: {FIX}"
    fresh = tmp_path / "schema.gen.ts"
    subprocess.run(_gen_command(fresh), cwd=WEB, capture_output=True, timeout=120, check=True)
    assert TYPES.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        f"apps/web/src/api/schema.gen.ts is stale: {FIX}"
    )
