"""Done, in a browser: a brand buys a studio's character licence in the marketplace (offline
checkout), gets its invoice, and the studio sees what it is owed for the sale."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.session import log_in

pytestmark = pytest.mark.e2e
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _owed(page: Page) -> str:
    page.goto("/")  # the studio member's home
    page.get_by_role("link", name="Comet Studios: earnings and payouts").click()
    expect(page.locator("h1")).to_contain_text("Comet Studios")
    return page.locator("#balance-gbp").inner_text() if page.locator("#balance-gbp").count() else "£0.00"


def test_a_brand_buys_a_character_licence_and_the_studio_is_paid(page: Page):
    log_in(page, "studio@demo.rightscast.local")
    before = _owed(page)
    page.goto("/accounts/logout/")
    page.locator("form button[type=submit]").last.click()

    log_in(page, "brand@demo.rightscast.local")
    page.goto("/market/?kind=character")
    page.locator("#market h2 a", has_text="Captain Comet").click()
    expect(page.locator("h1")).to_have_text("Captain Comet")
    offer = page.locator(".card.offer", has_text="Character campaign, 30 days")
    expect(offer.locator(".price")).to_contain_text("£400.00")
    offer.get_by_role("button", name="Buy this licence").click()
    expect(page).to_have_url(re.compile(rf"/pay/offline/{UUID_RE}/$"))
    page.get_by_role("button", name="Pay (offline)").click()
    expect(page).to_have_url(re.compile(rf"/orders/{UUID_RE}/$"))
    expect(page.locator("#order-status")).to_have_text("Paid")
    expect(page.locator("#licence-status")).to_have_text("Active")
    order_id = re.search(UUID_RE, page.url).group(0)
    page.goto(f"/receipts/{order_id}/")
    page.get_by_role("link", name=re.compile(r"Invoice RC-\d{6}")).click()
    expect(page.locator("h1")).to_contain_text("Invoice RC-")
    expect(page.locator("#invoice-seller")).to_contain_text("Licensed from Comet Studios (studio)")
    expect(page.locator("#invoice-total")).to_have_text("£400.00")
    page.goto("/accounts/logout/")
    page.locator("form button[type=submit]").last.click()

    log_in(page, "studio@demo.rightscast.local")
    after = _owed(page)
    # The studio's share of £400.00 after the platform's 20%: £320.00 more than before.
    to_pence = lambda text: int(re.sub(r"[^\d-]", "", text))  # noqa: E731
    assert to_pence(after) - to_pence(before) == 32_000, (before, after)
    expect(page.locator("#earnings-history")).to_contain_text("Licence sale: Character campaign, 30 days")
