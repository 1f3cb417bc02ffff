"""The README's loop in a real browser against a live `manage.py rundev` server: a talent verifies,
consents, makes an offer and publishes; a brand buys through the offline backend and generates,
watching progress arrive over the websocket; the talent sees the use and the earnings; anyone
verifies the downloaded file in the browser and with `manage.py verify`."""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e import session
from tests.e2e.session import log_out, nav

TALENT = "talent@demo.rightscast.local"
BRAND = "brand@demo.rightscast.local"
MODERATOR = "moderator@demo.rightscast.local"
JOB_TIMEOUT_MS = 120_000
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def log_in(page: Page, email: str) -> None:
    session.log_in(page, email)
    expect(page.locator("header .who")).to_contain_text(email)


def test_the_whole_loop_in_a_browser(page: Page, live_server_proc, face_png: Path, artifacts_dir: Path, tmp_path: Path):
    likeness_name = f"E2E Talent {uuid.uuid4().hex[:6]}"
    prompt = f"a sunny summer drinks campaign on a beach, e2e {uuid.uuid4().hex[:8]}"

    # 1. Talent: likeness, verification, consent, offer, publish.
    log_in(page, TALENT)
    nav(page, "My likenesses").click()
    expect(page).to_have_url(re.compile(r"/talent/likenesses/new/$"))
    page.get_by_label("Name shown to buyers").fill(likeness_name)
    page.get_by_label("About").fill("Created by the end-to-end test.")
    page.get_by_label("Date of birth").fill("1990-05-17")
    page.get_by_role("button", name="Create likeness").click()
    expect(page).to_have_url(re.compile(rf"/talent/likenesses/{UUID_RE}/verification/$"))
    expect(page.locator("h1")).to_contain_text(likeness_name)
    likeness_url = page.url.replace("verification/", "")

    page.get_by_role("button", name="Start verification").click()
    phrase = page.locator("#challenge-phrase")
    expect(phrase).to_be_visible()
    assert len(phrase.inner_text().split()) == 4, phrase.inner_text()
    # A clip performing the moves on screen (real scikit-image photographs, tests.factories).
    from tests.factories import readable_clip

    clip = tmp_path / "me.mp4"
    clip.write_bytes(readable_clip(phrase.inner_text().split()))
    page.set_input_files("#id_files", str(clip))
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator("#verification")).to_contain_text("Verified")
    expect(page.locator("#verification img.thumb").first).to_be_visible()

    page.locator(".subnav").get_by_role("link", name=re.compile("^Consent")).click()
    page.get_by_label("I have read this and I consent").check()
    page.get_by_role("button", name="Sign consent").click()
    expect(page.locator("#consent")).to_contain_text("Consent recorded")

    page.locator(".subnav").get_by_role("link", name="Offers").click()
    expect(page).to_have_url(re.compile(r"/offers/$"))
    page.get_by_label("Title").fill("E2E social campaign")
    page.get_by_label("Price (e.g. 250.00)").fill("250.00")
    page.get_by_label("Generations included").fill("5")
    page.get_by_role("button", name="Add offer").click()
    expect(page.locator("table")).to_contain_text("E2E social campaign")
    expect(page.locator("table")).to_contain_text("£250.00")

    # A moderator approves the verification before the first listing.
    log_out(page)
    log_in(page, MODERATOR)
    page.goto("/moderation/verifications/")
    card = page.locator(".card", has_text=likeness_name)
    match = card.locator("input[name=clear_match]")  # the test's face is the demo estate's: the moderator checked it
    if match.count():
        match.check()
    card.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text(f"Confirmed the verification of {likeness_name}")
    expect(page.locator(".card", has_text=likeness_name)).to_have_count(0)  # out of the queue
    log_out(page)
    log_in(page, TALENT)
    page.goto(likeness_url)
    page.get_by_role("button", name="Publish to the marketplace").click()
    expect(page.locator("#publish")).to_contain_text("Listed")
    expect(page.locator("#likeness-status")).to_have_text("Listed")

    # 2. Brand: marketplace, offline checkout, brief.
    log_out(page)
    log_in(page, BRAND)
    page.goto("/market/")
    page.get_by_role("link", name=likeness_name).click()
    expect(page.locator("h1")).to_have_text(likeness_name)
    page.get_by_role("button", name="Buy this licence").click()
    expect(page).to_have_url(re.compile(rf"/pay/offline/{UUID_RE}/$"))
    expect(page.locator("main")).to_contain_text("no money moves")
    page.get_by_role("button", name="Pay (offline)").click()
    expect(page).to_have_url(re.compile(rf"/orders/{UUID_RE}/$"))
    expect(page.locator("#order-status")).to_have_text("Paid")
    expect(page.locator("#licence-status")).to_have_text("Active")
    page.get_by_role("link", name="Write a brief").click()
    page.get_by_label("Prompt").fill(prompt)

    # 3. The job page: progress over the websocket, then the image and the download.
    frames: list[dict] = []
    sockets: list[str] = []

    def on_websocket(ws):
        sockets.append(ws.url)

        def on_frame(payload):
            try:
                frames.append(json.loads(payload))
            except (TypeError, ValueError):
                frames.append({"raw": payload})

        ws.on("framereceived", on_frame)

    page.on("websocket", on_websocket)
    page.get_by_role("button", name="Generate").click()
    expect(page).to_have_url(re.compile(rf"/jobs/{UUID_RE}/$"))
    job_id = re.search(rf"/jobs/({UUID_RE})/$", page.url).group(1)

    expect(page.locator("#job-status")).to_have_text("Done", timeout=JOB_TIMEOUT_MS)
    image = page.locator("#job-image")
    expect(image).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.getElementById('job-image'); return i && i.complete && i.naturalWidth > 0; }",
        timeout=30_000,
    )
    assert image.evaluate("i => i.naturalWidth") > 0

    assert any(u.endswith(f"/ws/jobs/{job_id}/") for u in sockets), sockets
    for _ in range(50):  # the DOM may show "Done" a moment before Playwright reports the frame
        if any(f.get("status") == "released" for f in frames):
            break
        page.wait_for_timeout(200)
    statuses = [f.get("status") for f in frames]
    print("websocket frames:", [(f.get("status"), f.get("step"), f.get("total_steps")) for f in frames])
    assert all(f.get("job_id") == job_id for f in frames), frames
    assert any(f.get("status") == "running" and f.get("total_steps") for f in frames), frames
    assert any(f.get("status") == "running" and f.get("step", 0) > 0 for f in frames), frames
    assert statuses[-1] == "released", frames
    assert job_id in (frames[-1].get("output_url") or ""), frames  # the image the page then shows
    expect(page.locator("#job-step")).to_have_text(re.compile(r"step (\d+) of \1$"))
    page.screenshot(path=str(artifacts_dir / "job.png"), full_page=True)

    with page.expect_download() as dl_info:
        page.locator("#job-download").click()
    download = dl_info.value
    output = artifacts_dir / f"{job_id}.png"
    download.save_as(str(output))
    data = output.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]

    # 4. Talent: every use, earnings.
    log_out(page)
    log_in(page, TALENT)
    nav(page, "Every use").click()
    expect(page.locator("#uses")).to_contain_text(prompt)
    use_row = page.locator("#uses tr.use", has_text=prompt)
    expect(use_row).to_contain_text(BRAND)
    expect(use_row).to_contain_text("Accepted")
    expect(use_row).to_contain_text("Done")
    nav(page, "Earnings").click()
    balance = page.locator("#balance-gbp")
    expect(balance).to_be_visible()
    owed = float(balance.inner_text().replace("£", "").replace(",", ""))
    assert owed >= 200  # this sale's £250 less the 20% platform fee (the demo data may have sold before)
    expect(page.locator("main table")).to_contain_text("£200.00")

    # 5. Anyone: the verify page and `manage.py verify` give the same answer.
    log_out(page)
    page.goto("/verify/")
    page.set_input_files("#id_file", str(output))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#verdict")).to_have_text("Made on Rightscast")
    expect(page.locator("#generation-id")).to_have_text(job_id)
    expect(page.locator("#verify-answer #licence-status")).to_have_text("still stands")
    expect(page.locator("#watermark")).to_have_text("found")
    expect(page.locator("#c2pa-state")).to_contain_text("valid")
    page.screenshot(path=str(artifacts_dir / "verify.png"), full_page=True)

    result = live_server_proc.manage("verify", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout[result.stdout.index("{"):])
    assert answer["made_here"] is True, answer
    assert answer["generation_id"] == job_id, answer
    assert answer["licence_status"] == "active", answer
    assert answer["licence_valid"] is True, answer
    assert answer["watermark"] == "found", answer
    assert answer["c2pa_state"] == "valid", answer
    print(f"\nscreenshots and download in {artifacts_dir}")


def test_verify_page_rejects_a_text_file_named_png(page: Page, tmp_path: Path):
    fake = tmp_path / "not-really.png"
    fake.write_text("this is plain text, not a picture\n" * 20)
    page.goto("/verify/")
    with page.expect_response(lambda r: r.url.endswith("/verify/") and r.request.method == "POST") as resp_info:
        page.set_input_files("#id_file", str(fake))
        page.get_by_role("button", name="Verify").click()
    assert resp_info.value.status == 400
    error = page.locator("main .field-error")  # beside the file field, the form kept
    expect(error).to_contain_text("not a readable image")
    expect(error).to_contain_text("not-really.png")
    expect(page.locator("#verify-answer")).to_have_count(0)
    # The form is still there and the server still answers: nothing crashed.
    expect(page.locator("#id_file")).to_be_visible()
    page.goto("/verify/")
    expect(page.locator("h1")).to_have_text("Was this made on Rightscast?")
