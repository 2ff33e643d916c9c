"""Give the C heap's free memory back to the system after the engine's large transient work.

glibc's ``malloc`` serves blocks under its mmap threshold from the heap, and that threshold
grows (up to 32 MB) each time a larger mapped block is freed: after a DataFrame of a million
rows has been copied and freed a few times, its 8 MB columns come from the heap, and the freed
ones stay in the process's resident memory (at 1,000,000 rows, ~500 MB of a ``setup`` that
holds ~450 MB of live data). ``malloc_trim(0)`` returns every free page; it takes
milliseconds. Elsewhere than glibc (macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

WORTH_BYTES = 16 * 2**20  # data from this size up: its copies are worth giving back


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release() -> bool:
    """Return the heap's free pages to the system; True when anything was released."""
    libc = _libc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
