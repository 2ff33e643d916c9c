"""Team admin in Chromium against a real ``podium serve``: the owner invites someone, the invitee
opens the link in another browser and creates their account, and the owner sees it in the audit
log."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect
from test_product_loop import WORKSPACE, sign_in

INVITEE = "nia@example.com"


def test_invite_accept_then_audit(page: Page, browser: Any) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).first.click()
    page.get_by_role("tab", name="Members").click()
    page.get_by_label("Invitee email").fill(INVITEE)
    page.get_by_label("Invitee role").select_option("editor")
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_test_id("invite-link")
    expect(link).to_contain_text("/invitations/pdi_")
    url = link.inner_text().strip()

    invitee = browser.new_context(viewport={"width": 1280, "height": 860})
    try:
        other = invitee.new_page()
        other.goto(url)
        expect(other.get_by_text(f"as {INVITEE}")).to_be_visible()
        other.get_by_label("Your name").fill("Nia")
        other.get_by_label("Choose a password").fill("nias-long-password")
        other.get_by_role("button", name="Accept invitation").click()
        expect(other.get_by_role("heading", name=WORKSPACE)).to_be_visible()
        expect(other.get_by_text("Your role: editor")).to_be_visible()
        expect(other.get_by_role("tab", name="Audit log")).to_have_count(0)  # owners only
    finally:
        invitee.close()

    page.get_by_role("tab", name="Audit log").click()
    log = page.get_by_role("table", name="Audit log")
    accepted = log.get_by_role("row").filter(has_text="invitation.accept")
    expect(accepted).to_contain_text(INVITEE)
    expect(log.get_by_role("row").filter(has_text="member.add")).to_contain_text(INVITEE)
    page.get_by_label("Action").fill("invitation.")
    page.get_by_role("button", name="Filter").click()
    expect(log.get_by_role("row").filter(has_text="member.add")).to_have_count(0)
    expect(log.get_by_role("row").filter(has_text="invitation.create")).to_have_count(1)
