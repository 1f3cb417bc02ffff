"""The campaign pages in a real browser at 1280 and 390 pixels wide: a brand starts a campaign
over the demo's listed talents (a bad form keeps its input and says what is wrong), pays for every
waiting licence in one checkout, briefs every licensed talent with 3 variants, and reads each
talent's state; no sideways scrolling on a phone, no serious accessibility violation. (Twenty
talents with three variants each run through the API and MCP tests; the demo lists fewer.)"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .session import log_in
from .test_pages import WIDTHS, _context, axe_serious, no_sideways_scroll

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_brand_runs_a_campaign_in_the_browser(browser, live_server_url, width):
    context = _context(browser, live_server_url, WIDTHS[width])
    page = context.new_page()
    try:
        log_in(page, "brand@demo.rightscast.local")
        page.goto("/campaigns/new/")
        expect(page.get_by_role("heading", name="New campaign")).to_be_visible()
        no_sideways_scroll(page)
        # a bad form: the name is missing; the page says so and keeps the amounts typed
        page.get_by_label("Budget (e.g. 2000.00)").fill("2000.00")
        page.get_by_label("Most per talent (e.g. 250.00)").fill("250.00")
        page.get_by_role("button", name="Start the campaign").click()
        expect(page.locator("form.card")).to_contain_text("This field is required")
        expect(page.get_by_label("Budget (e.g. 2000.00)")).to_have_value("2000.00")
        name = f"E2E campaign {uuid.uuid4().hex[:6]} {width}"
        page.get_by_label("Campaign name").fill(name)
        page.get_by_role("button", name="Start the campaign").click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        expect(page.locator("body")).to_contain_text(re.compile(r"Campaign started with \d+ talents"))
        rows = page.locator("table tbody tr")
        assert rows.count() >= 1
        expect(page.locator("table")).not_to_contain_text("minor units")
        no_sideways_scroll(page)
        assert not axe_serious(page), axe_serious(page)
        # one checkout for every waiting licence (the offline backend answers at once)
        page.get_by_role("button", name="Pay for every waiting licence").click()
        expect(page.locator("body")).to_contain_text(re.compile(r"Every waiting licence of the campaign is paid|Nothing of this campaign is waiting for payment"))
        # the brief: without the placeholder it is refused with the reason, input kept
        page.get_by_label("Brief ({talent} is each talent's name)").fill("a picnic in the park")
        page.get_by_label("Variants per talent").fill("3")
        page.get_by_role("button", name="Brief them").click()
        expect(page.locator("form.card")).to_contain_text("{talent}")
        expect(page.get_by_label("Brief ({talent} is each talent's name)")).to_have_value("a picnic in the park")
        page.get_by_label("Brief ({talent} is each talent's name)").fill("{talent} at a picnic in the park, e2e")
        page.get_by_label("Variants per talent").fill("3")
        page.get_by_role("button", name="Brief them").click()
        body = page.locator("body")
        expect(body).to_contain_text(re.compile(r"Briefed: one brief per licensed talent|No talent of this campaign is licensed"))
        # every talent reads as licensed/briefed/refused/not licensed, in words (never a code)
        for i in range(rows.count()):
            expect(rows.nth(i)).to_contain_text(re.compile(r"Briefed|Refused|Not licensed|Licensed|Awaiting payment"))
        no_sideways_scroll(page)
        assert not axe_serious(page), axe_serious(page)
    finally:
        context.close()
