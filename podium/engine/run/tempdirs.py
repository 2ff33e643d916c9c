"""Private temporary folders that outlive nobody: each holds a lock its owner keeps while alive.

A process that dies without cleaning up (``kill -9``, OOM killer, power cut) leaves its folder
behind. The owner holds an exclusive ``flock`` on ``<folder>/owner.lock`` for the folder's life;
the kernel drops the lock when the process dies, however it dies. :func:`remove_stale` deletes
every folder whose lock it can take, so a process starting later (a ``podium worker``) can tell
a dead owner's folder from a live one — across processes, users of the same ``/tmp`` and PID
namespaces, without trusting PIDs that the system may have reused.

The lock file is locked under a temporary name and renamed into place, so a folder whose
``owner.lock`` exists is always locked while its owner lives. A folder without ``owner.lock`` is
one being created this instant (or one an older Podium made): it is left alone.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)
LOCK_NAME = "owner.lock"


class OwnedFolder:
    """A fresh folder in the temporary directory, locked as ours until :meth:`remove`.

    Parameters
    ----------
    prefix : str
        Start of the folder's name (``podium-folds-``); :func:`remove_stale` takes the same.
    root : Path, optional
        Where to create it; defaults to the temporary directory (``TMPDIR``).
    """

    def __init__(self, prefix: str, root: Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
        pending = self.path / f".{LOCK_NAME}.new"
        self._fd: int | None = os.open(pending, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.rename(pending, self.path / LOCK_NAME)  # the inode, and its lock, keep their owner

    def remove(self) -> None:
        """Delete the folder, then release the lock (idempotent)."""
        if self._fd is None:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._fd)
        self._fd = None


def remove_stale(prefix: str, root: Path | None = None) -> list[Path]:
    """Delete the ``prefix*`` folders in ``root`` (the temporary directory) whose owner died.

    Returns
    -------
    list of Path
        The folders removed; folders of live owners and folders without a lock file are kept.
    """
    base = root if root is not None else Path(tempfile.gettempdir())
    removed = []
    for folder in sorted(base.glob(f"{prefix}*")):
        if folder.is_dir() and not folder.is_symlink() and _take_if_orphaned(folder):
            removed.append(folder)
    if removed:
        log.info("removed %d temporary folder(s) left by dead processes", len(removed))
    return removed


def _take_if_orphaned(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:  # no lock file (being created, or an old Podium's), or not ours to read
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: the owner is alive
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return not folder.exists()
    finally:
        os.close(fd)
