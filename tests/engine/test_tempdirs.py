"""Temporary folders that tell a dead owner from a live one (real processes, real locks)."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from podium.engine import ProcessExecutor
from podium.engine.run.executors import FOLDS_PREFIX
from podium.engine.run.fits import FoldArrays
from podium.engine.run.tempdirs import LOCK_NAME, OwnedFolder, remove_stale

PREFIX = "podium-test-"
HOLD = """
import sys
import tempfile
from pathlib import Path
from podium.engine.run.tempdirs import OwnedFolder
folder = OwnedFolder(sys.argv[1], Path(sys.argv[2]))
print(folder.path, flush=True)
sys.stdin.read()  # hold the folder until killed
"""


def _held_by_a_child(root: Path) -> tuple[subprocess.Popen[str], Path]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, PREFIX, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    return child, Path(child.stdout.readline().strip())


def test_a_killed_owners_folder_is_removed_a_live_ones_kept(tmp_path: Path) -> None:
    killed, orphan = _held_by_a_child(tmp_path)
    alive, kept = _held_by_a_child(tmp_path)
    try:
        assert remove_stale(PREFIX, tmp_path) == []  # both owners alive
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert orphan.is_dir(), "nothing ran on the owner's death: the folder is still there"
        assert remove_stale(PREFIX, tmp_path) == [orphan]
        assert not orphan.exists()
        assert kept.is_dir()
    finally:
        for child in (killed, alive):
            child.kill()
            child.communicate()


def test_own_folder_kept_until_removed_folders_without_lock_left_alone(tmp_path: Path) -> None:
    mine = OwnedFolder(PREFIX, tmp_path)
    (mine.path / "data.npy").write_bytes(b"x")
    unlocked = tmp_path / f"{PREFIX}old"  # an older Podium's folder, or one being created
    unlocked.mkdir()
    stale = tmp_path / f"{PREFIX}stale"  # the state a dead owner leaves: lock file, no lock
    stale.mkdir()
    (stale / LOCK_NAME).touch()
    other = tmp_path / "someone-else"
    other.mkdir()
    (other / LOCK_NAME).touch()

    assert remove_stale(PREFIX, tmp_path) == [stale]
    assert all(folder.is_dir() for folder in (mine.path, unlocked, other))
    mine.remove()
    mine.remove()
    assert not mine.path.exists()


def test_the_process_pool_keeps_its_folds_in_an_owned_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    executor = ProcessExecutor(n_jobs=1)
    zeros = np.zeros((4, 2))
    executor.open({0: FoldArrays(zeros, zeros[:, 0], zeros, zeros[:, 0])})
    (folder,) = tmp_path.glob(f"{FOLDS_PREFIX}*")
    assert (folder / LOCK_NAME).is_file()
    assert remove_stale(FOLDS_PREFIX, tmp_path) == []
    executor.close()
    assert not folder.exists()
