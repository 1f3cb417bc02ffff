"""Signing in and out of the seeded demo in a real browser: the one place the journeys, the crawl
and the studio's sale learn the demo password (seed_demo's) and how the login form is sent."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from demo.management.commands.seed_demo import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD", "log_in", "log_out", "nav"]


def nav(page: Page, name: str):
    """A link in the top navigation bar."""
    return page.locator("header nav").get_by_role("link", name=name, exact=True)


def log_in(page: Page, email: str) -> None:
    """Sign in as a demo account through the login form, as a person would; fails where the
    form is shown again (a wrong password, a lockout)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    assert "/accounts/login" not in page.url, f"could not log in as {email}"


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(nav(page, "Log in")).to_be_visible()
