"""Password attempts: counted per account and per client, hashed a few at a time off the loop.

Every request that checks or sets a password (sign-in, registration, change of password) costs
one argon2 computation: ~64 MiB and tens of milliseconds of CPU. Unbounded, a flood of wrong
sign-ins used all cores and a gigabyte and stalled every other request. Two defences:

- :class:`AttemptLimiter` — sliding windows per account (the email, whether or not it exists, so
  the answer says nothing about which accounts exist) and per client address. An attempt over
  either limit is refused with :class:`~podium.server.errors.TooManyRequests` *before* any
  hashing; a successful attempt is not counted. The windows live in this process's memory:
  with N API processes an attacker gets N times the attempts (see docs/DESIGN.md).
- :class:`PasswordGate` — runs the hashing call in a worker thread under a capacity limiter
  sized to the cores, so waiting attempts queue on the event loop (they hold no thread) and
  ``/healthz`` and the rest of the API keep their threads.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread

from podium.server.errors import TooManyRequests

T = TypeVar("T")
MAX_KEYS = 100_000


def hashing_slots() -> int:
    """How many password hashes may run at once: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class SlidingWindow:
    """At most ``limit`` hits per key in any ``window_s`` seconds (a log of hit times per key).

    Not locked: :class:`AttemptLimiter` holds its lock around every call. Memory is bounded:
    expired keys are swept when the table grows past ``max_keys``, and the oldest keys go
    after that.
    """

    def __init__(self, limit: int, window_s: float, max_keys: int = MAX_KEYS) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def wait_s(self, key: str, now: float) -> float:
        """Seconds until ``key`` may hit again (0 when it may now)."""
        hits = self._hits.get(key)
        if hits is None:
            return 0.0
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return 0.0
        return 0.0 if len(hits) < self.limit else hits[0] + self.window_s - now

    def add(self, key: str, now: float) -> None:
        """Record a hit of ``key`` at ``now``."""
        if key not in self._hits and len(self._hits) >= self.max_keys:
            self._sweep(now)
        self._hits.setdefault(key, deque()).append(now)

    def discard(self, key: str, stamp: float) -> None:
        """Forget one hit of ``key`` at ``stamp`` (an attempt that succeeded)."""
        hits = self._hits.get(key)
        if hits is not None and stamp in hits:
            hits.remove(stamp)

    def __len__(self) -> int:
        return len(self._hits)

    def _sweep(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if hits[-1] <= now - self.window_s]:
            del self._hits[key]
        for key in list(self._hits)[: max(0, len(self._hits) - self.max_keys + 1)]:
            del self._hits[key]  # still full: forget the keys seen first


class AttemptLimiter:
    """Sliding windows of password attempts per account and per client, one lock for both."""

    def __init__(
        self,
        per_account: int,
        per_client: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.accounts = SlidingWindow(per_account, window_s)
        self.clients = SlidingWindow(per_client, window_s)
        self.clock = clock
        self._lock = threading.Lock()

    def admit(self, account: str | None, client: str) -> Callable[[], None]:
        """Count one attempt, or raise :class:`TooManyRequests` (nothing counted) when the
        client or the account is over its limit. Returns ``forget``: call it on success."""
        pairs = [(self.clients, client)]
        if account is not None:
            pairs.append((self.accounts, account.strip().lower()))
        with self._lock:
            now = self.clock()
            waits = [window.wait_s(key, now) for window, key in pairs]
            if max(waits) > 0:
                raise _refusal(waits, account is not None)
            for window, key in pairs:
                window.add(key, now)

        def forget() -> None:
            with self._lock:
                for window, key in pairs:
                    window.discard(key, now)

        return forget


def _refusal(waits: list[float], has_account: bool) -> TooManyRequests:
    retry = max(1, math.ceil(max(waits)))
    whose = "this account" if has_account and waits[-1] > 0 else "your address"
    return TooManyRequests(
        f"too many password attempts for {whose}; try again in {retry} seconds", retry
    )


class PasswordGate:
    """One request's way to a password check: the attempt limits, then the bounded hashing."""

    def __init__(self, limiter: AttemptLimiter, hashing: CapacityLimiter, client: str) -> None:
        self.limiter = limiter
        self.hashing = hashing
        self.client = client

    async def attempt(
        self, account: str | None, call: Callable[[], T], *, count_success: bool = False
    ) -> T:
        """Admit the attempt, run ``call`` (which hashes) in a worker thread under the hashing
        limit; a raised error leaves the attempt counted, a success is forgotten unless
        ``count_success`` (registrations: each one creates an account)."""
        forget = self.limiter.admit(account, self.client)
        result = await self.run(call)
        if not count_success:
            forget()
        return result

    async def run(self, call: Callable[[], T]) -> T:
        """Run ``call`` in a worker thread, at most ``hashing`` of them at once."""
        return await to_thread.run_sync(call, limiter=self.hashing)
