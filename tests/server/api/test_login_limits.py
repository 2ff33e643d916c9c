"""Password attempts are limited per account and per client (429 + Retry-After) and hashed a
few at a time, so a flood of wrong sign-ins neither brute-forces nor stalls the server.

The flood tests run a real uvicorn server in a thread on a free port and send real concurrent
requests; the limiter's own rules are checked with a hand-driven clock.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher, extract_parameters

from podium.server import security
from podium.server.app import create_app
from podium.server.db.models import User
from podium.server.errors import TooManyRequests
from podium.server.throttle import AttemptLimiter, SlidingWindow, hashing_slots
from tests.conftest import make_settings
from tests.ports import free_port
from tests.server.conftest import _HASH, PASSWORD

EMAIL = "ada@example.com"
LOGIN = "/api/v1/auth/login"


@contextmanager
def serving(tmp_path: Path, url: str, **overrides: Any) -> Iterator[str]:
    """A real server (uvicorn, in a thread) with one account, ``EMAIL`` / ``PASSWORD``."""
    app = create_app(make_settings(tmp_path, url, **overrides))
    with app.state.db.sessions() as session:
        session.add(User(email=EMAIL, password_hash=_HASH))
        session.commit()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(600):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def login(base: str, email: str = EMAIL, password: str = "wrong-password") -> httpx.Response:
    return httpx.post(f"{base}{LOGIN}", json={"email": email, "password": password}, timeout=120)


def at_once(count: int, call: Callable[[], httpx.Response]) -> list[httpx.Response]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: call(), range(count)))


class TestOverHttp:
    def test_account_flood_refused_right_password_too(
        self, tmp_path: Path, sqlite_url: str
    ) -> None:
        with serving(tmp_path, sqlite_url, login_attempts_per_account=3, login_window_s=60) as base:
            answers = at_once(12, lambda: login(base))
            assert sorted(r.status_code for r in answers) == [401] * 3 + [429] * 9
            for r in (r for r in answers if r.status_code == 429):
                assert 1 <= int(r.headers["retry-after"]) <= 60
                assert "too many password attempts for this account" in r.json()["detail"]
            # the right password is refused too while the account is closed
            closed = login(base, password=PASSWORD)
            assert closed.status_code == 429
            assert closed.headers["retry-after"].isdigit()

    def test_right_password_works_after_the_window(self, tmp_path: Path, sqlite_url: str) -> None:
        with serving(tmp_path, sqlite_url, login_attempts_per_account=3, login_window_s=2) as base:
            refused = [r for r in at_once(12, lambda: login(base)) if r.status_code == 429]
            assert refused, "no attempt was refused"
            time.sleep(max(int(r.headers["retry-after"]) for r in refused))
            opened = login(base, password=PASSWORD)
            assert opened.status_code == 200, opened.text
            assert opened.json()["access_token"]

    def test_client_limit_spans_accounts_known_or_not(
        self, tmp_path: Path, sqlite_url: str
    ) -> None:
        with serving(tmp_path, sqlite_url, login_attempts_per_client=4) as base:
            emails = [EMAIL, "ghost@example.com", EMAIL, "nobody@example.com", "x@example.com"]
            codes = [login(base, email).status_code for email in emails]
            assert codes == [401, 401, 401, 401, 429]
            last = login(base, "other@example.com")
            assert last.status_code == 429
            assert "for your address" in last.json()["detail"]

    def test_unknown_and_known_accounts_answer_alike(self, tmp_path: Path, sqlite_url: str) -> None:
        with serving(tmp_path, sqlite_url, login_attempts_per_account=2) as base:
            known = [login(base, EMAIL) for _ in range(3)]
            unknown = [login(base, "ghost@example.com") for _ in range(3)]
            assert [r.status_code for r in known] == [r.status_code for r in unknown]
            words = [re.sub(r"\d+", "N", r.json()["detail"]) for r in known + unknown]
            assert words[:3] == words[3:]

    def test_successes_are_not_counted(self, tmp_path: Path, sqlite_url: str) -> None:
        with serving(tmp_path, sqlite_url, login_attempts_per_account=2) as base:
            assert all(login(base, password=PASSWORD).status_code == 200 for _ in range(5))
            assert login(base).status_code == 401

    def test_healthz_answers_and_hashing_is_bounded_during_a_flood(
        self, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        in_flight, most = [0], [0]
        lock = threading.Lock()
        verify = PasswordHasher.verify

        def counting_verify(self: PasswordHasher, hash: str | bytes, password: str | bytes) -> Any:
            with lock:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            try:
                return verify(self, hash, password)
            finally:
                with lock:
                    in_flight[0] -= 1

        monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
        limits = {"login_attempts_per_account": 10_000, "login_attempts_per_client": 10_000}
        with serving(tmp_path, sqlite_url, **limits) as base:
            stop = threading.Event()

            def flood() -> None:
                n = 0
                while not stop.is_set():
                    n += 1
                    login(base, f"user{n}@example.com")

            with ThreadPoolExecutor(20) as pool:
                for _ in range(20):
                    pool.submit(flood)
                try:
                    health = [httpx.get(f"{base}/healthz", timeout=60) for _ in range(5)]
                finally:
                    stop.set()
        assert [r.status_code for r in health] == [200] * 5
        assert [r.json() for r in health] == [{"status": "degraded"}] * 5  # no workers here
        assert 1 <= most[0] <= hashing_slots()


class TestDummyHash:
    def test_unknown_accounts_cost_one_verification_like_known_ones(self) -> None:
        dummy = extract_parameters(security._DUMMY_HASH)
        assert dummy == extract_parameters(security.hash_password("anything"))
        assert dummy == extract_parameters(_HASH)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestAttemptLimiter:
    def test_per_account_window_slides(self) -> None:
        clock = Clock()
        limiter = AttemptLimiter(per_account=2, per_client=100, window_s=60, clock=clock)
        limiter.admit("A@x.io", "1.2.3.4")
        clock.now += 10
        limiter.admit("a@x.io ", "5.6.7.8")  # same account, however spelled, from anywhere
        with pytest.raises(TooManyRequests) as refused:
            limiter.admit("a@x.io", "9.9.9.9")
        assert refused.value.retry_after_s == 50
        limiter.admit("b@x.io", "1.2.3.4")  # other accounts are open
        clock.now += 50
        limiter.admit("a@x.io", "1.2.3.4")  # the first attempt left the window

    def test_refused_attempts_are_not_counted(self) -> None:
        clock = Clock()
        limiter = AttemptLimiter(per_account=1, per_client=100, window_s=60, clock=clock)
        limiter.admit("a@x.io", "c")
        for _ in range(5):
            with pytest.raises(TooManyRequests):
                limiter.admit("a@x.io", "c")
        clock.now += 60
        limiter.admit("a@x.io", "c")
        assert len(limiter.clients) == 1

    def test_success_is_forgotten(self) -> None:
        limiter = AttemptLimiter(per_account=1, per_client=1, window_s=60, clock=Clock())
        for _ in range(3):
            limiter.admit("a@x.io", "c")()
        limiter.admit("a@x.io", "c")
        with pytest.raises(TooManyRequests):
            limiter.admit("a@x.io", "c")

    def test_memory_is_bounded(self) -> None:
        window = SlidingWindow(limit=3, window_s=60, max_keys=100)
        for n in range(1000):
            window.add(f"k{n}", now=float(n))
        assert len(window) <= 100
        assert window.wait_s("k999", now=999.0) == 0.0
