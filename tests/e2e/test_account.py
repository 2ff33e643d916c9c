"""Account screens in Chromium against a real ``podium serve``: change the password (every other
session ends, this one goes on), sign in with the new one; the administrator's Users page and
the instance's Audit log page (the wrong-password sign-in is there)."""

from __future__ import annotations

import httpx
from harness import PodiumServer
from playwright.sync_api import Page, expect
from test_product_loop import EMAIL, PASSWORD, sign_in

NEW = "a-new-e2e-password"


def _restore(server: PodiumServer) -> None:
    """Put the shared account's password back, whatever happened, for the other browser tests."""
    body = {"email": EMAIL, "password": NEW}
    r = httpx.post(f"{server.url}/api/v1/auth/login", json=body, timeout=30)
    if r.status_code == 200:
        httpx.post(
            f"{server.url}/api/v1/auth/password",
            json={"current_password": NEW, "new_password": PASSWORD},
            headers={"Authorization": f"Bearer {r.json()['access_token']}"},
            timeout=30,
        )


def test_change_password_and_users(page: Page, podium_server: PodiumServer) -> None:
    sign_in(page)
    other = httpx.post(
        f"{podium_server.url}/api/v1/auth/login",
        json={"email": EMAIL, "password": PASSWORD},
        timeout=30,
    ).json()
    try:
        page.get_by_test_id("current-user").click()
        expect(page.get_by_role("heading", name="Account")).to_be_visible()
        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password", exact=True).fill(NEW)
        page.get_by_label("New password again").fill(NEW)
        page.get_by_role("button", name="Change password").click()
        expect(
            page.get_by_text("Every other session of this account has been signed out")
        ).to_be_visible()

        # the other session ended; this one goes on with its new tokens
        stale = httpx.post(
            f"{podium_server.url}/api/v1/auth/refresh",
            json={"refresh_token": other["refresh_token"]},
            timeout=30,
        )
        assert stale.status_code == 401
        page.get_by_role("banner").get_by_role("link", name="Users").click()
        row = page.get_by_role("row").filter(has_text=EMAIL)
        expect(row).to_contain_text("administrator")
        expect(row).to_contain_text("you")

        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("wrong email or password")
        page.get_by_label("Password").fill(NEW)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_test_id("current-user")).to_contain_text(EMAIL)

        page.get_by_role("banner").get_by_role("link", name="Audit log").click()
        page.get_by_label("Action").fill("auth.")
        page.get_by_role("button", name="Filter").click()
        rows = page.get_by_role("table", name="Audit log").get_by_role("row")
        expect(rows.filter(has_text="auth.login").filter(has_text="failure").first).to_be_visible()
        expect(rows.filter(has_text="auth.password").first).to_be_visible()
    finally:
        _restore(podium_server)
