"""The MCP server: a brand's tools for AI agents, acting with the brand's API token.

Tools: search listings, read an offer's terms, buy a licence (a Checkout link comes back for a
person to pay: an agent never pays), submit a brief, poll a job, fetch an output with its licence
record, verify a file. Every call, allowed or refused, is in the audit trail (`mcp.<tool>`).

Scopes. Each tool needs one scope (SCOPES). The API token's own scope decides what it may hold: a
read-only token holds the reading scopes (READ_SCOPES), a full one all of them; `--scopes` narrows
the agent further. A tool outside the effective scopes is refused with the scope it needs.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

SCOPES = {
    "search_listings": "listings:read",
    "read_terms": "listings:read",
    "buy_licence": "licences:buy",
    "submit_brief": "briefs:write",
    "poll_job": "briefs:read",
    "fetch_output": "outputs:read",
    "verify_file": "verify",
    "start_campaign": "licences:buy",
    "brief_campaign": "briefs:write",
    "campaign_progress": "briefs:read",
}
ALL_SCOPES = frozenset(SCOPES.values())
READ_SCOPES = frozenset({"listings:read", "briefs:read", "outputs:read", "verify"})


class AgentRefused(Exception):
    """A tool call the agent may not make (no such token, a missing scope)."""


class Agent:
    """Who the server acts as: the token's user and the scopes it may use."""

    def __init__(self, token_key: str, *, narrow_to: set[str] | None = None):
        from accounts.models import ApiToken
        from accounts.tokens import api_token_resolve

        token = api_token_resolve(token_key)
        if token is None:
            raise AgentRefused("The API token is not valid, expired or revoked (sign in through the API for one).")
        self.user = token.user
        scopes = set(ALL_SCOPES) if token.scope == ApiToken.Scope.FULL else set(READ_SCOPES)
        if narrow_to is not None:
            unknown = set(narrow_to) - ALL_SCOPES
            if unknown:
                raise AgentRefused(f"Unknown scope {sorted(unknown)[0]!r}; scopes are {', '.join(sorted(ALL_SCOPES))}.")
            scopes &= set(narrow_to)
        self.scopes = frozenset(scopes)

    def require(self, tool: str) -> None:
        needed = SCOPES[tool]
        if needed not in self.scopes:
            raise AgentRefused(f"This agent's token lacks the scope {needed!r} that {tool} needs.")


def _audit(agent: Agent, tool: str, args: dict, outcome: str) -> None:
    from licensing.services import audit_record

    safe = {k: (v if not isinstance(v, str) or len(v) < 300 else f"<{len(v)} characters>") for k, v in args.items()}
    audit_record(actor=agent.user, action=f"mcp.{tool}", obj=agent.user, data={"args": safe, "outcome": outcome})


def call(agent: Agent, tool: str, **args) -> dict | list:
    """Run one tool for `agent` (sync; the server calls it in a thread): scope check, the
    service, the audit row. Domain errors come back as the API's messages."""
    from accounts.errors import DomainError

    try:
        agent.require(tool)
        result = TOOLS[tool](agent.user, **args)
    except AgentRefused as exc:
        _audit(agent, tool, args, f"refused: {exc}")
        raise
    except DomainError as exc:
        _audit(agent, tool, args, f"error: {exc.message}")
        raise AgentRefused(exc.message + (" " + " ".join(exc.reasons) if exc.reasons else "")) from None
    _audit(agent, tool, args, "ok")
    return result


# -- the tools (sync, Django) ------------------------------------------------------------------------

def _search_listings(user, query: str = "", max_price_minor: int | None = None) -> list:
    from marketplace.api import ListingOutput
    from marketplace.selectors import listing_list

    rows = ListingOutput(listing_list()[:200], many=True).data
    q = (query or "").strip().lower()
    out = []
    for row in rows:
        if q and q not in (row.get("name", "") + " " + row.get("bio", "")).lower():
            continue
        if max_price_minor is not None:
            row = {**row, "offers": [o for o in row.get("offers", []) if o["price_minor"] <= max_price_minor]}
            if not row["offers"]:
                continue
        out.append(row)
    return out[:50]


def _read_terms(user, offer_id: str) -> dict:
    from marketplace.api import OfferOutput
    from marketplace.selectors import access_offer_buyable

    return dict(OfferOutput(access_offer_buyable(offer_id=offer_id)).data)


def _buy_licence(user, offer_id: str) -> dict:
    from marketplace import services
    from marketplace.api import OrderOutput
    from marketplace.selectors import access_offer_buyable

    order = services.order_create(buyer=user, offer=access_offer_buyable(offer_id=offer_id))
    data = dict(OrderOutput(order).data)
    url = data.get("checkout_url") or ""
    if url.startswith("/"):
        data["checkout_url"] = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + url
    data["note"] = "A person must open checkout_url and pay; the licence becomes active when payment completes." if data["status"] != "paid" else "Free offer: the licence is active."
    return data


def _submit_brief(user, licence_id: str, prompt: str, seed: int | None = None, media: str = "image") -> dict:
    from generation import services
    from generation.api import BriefOutput

    return dict(BriefOutput(services.brief_submit(requester=user, licence_id=licence_id, prompt=prompt, seed=seed, media=media)).data)


def _poll_job(user, job_id: str) -> dict:
    from generation.progress import job_snapshot
    from generation.selectors import access_job

    snap = dict(job_snapshot(access_job(user=user, job_id=job_id)))
    snap.pop("preview", None)
    return snap


def _fetch_output(user, job_id: str) -> dict:
    from accounts.errors import Gone, NotFound
    from generation.selectors import access_job, may_see_output
    from licensing.api import LicenceOutput

    job = access_job(user=user, job_id=job_id)
    if job.taken_down_at:
        raise Gone(f"This output was taken down: {job.takedown_reason}")
    if not may_see_output(user=user, job=job):
        raise NotFound("This job has no output you can see (yet).")
    with job.output.open("rb") as fh:
        data = fh.read()
    return {
        "job_id": str(job.pk), "mime": job.output_mime, "sha256": job.output_sha256, "data_base64": base64.b64encode(data).decode(),
        "licence": dict(LicenceOutput(job.brief.licence).data),
        "licences": [str(lic.pk) for lic in job.brief.licences()],
    }


def _verify_file(user, data_base64: str, name: str = "upload") -> dict:
    from accounts.errors import InvalidInput
    from generation.verification import verify_bytes

    try:
        data = base64.b64decode(data_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("data_base64 is not base64.")
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(f"The file is larger than {settings.UPLOAD_MAX_BYTES} bytes.")
    return verify_bytes(data, name=name)


def _start_campaign(user, name: str, budget_minor: int, price_ceiling_minor: int, currency: str = "gbp", query: str = "") -> dict:
    from campaigns import services
    from campaigns.selectors import campaign_progress

    campaign = services.campaign_create(owner=user, name=name, budget_minor=budget_minor, price_ceiling_minor=price_ceiling_minor, currency=currency, query=query)
    from accounts.errors import Conflict

    try:  # one Checkout for every talent, for a person to pay
        bundle = services.campaign_checkout(campaign=campaign, actor=user)
    except Conflict:
        bundle = None  # nothing to pay (free offers, or none could be ordered)
    data = campaign_progress(campaign=campaign)
    data["checkout_url"] = bundle.checkout_url if bundle else None
    data["note"] = "A person pays for every licence at checkout_url (one Checkout for the whole campaign) before briefing."
    return data


def _brief_campaign(user, campaign_id: str, prompt_template: str, variants: int = 1, media: str = "image") -> dict:
    from campaigns import services
    from campaigns.selectors import access_campaign, campaign_progress

    campaign = services.campaign_brief(campaign=access_campaign(user=user, campaign_id=campaign_id), actor=user, prompt_template=prompt_template, variants=variants, media=media)
    return campaign_progress(campaign=campaign)


def _campaign_progress(user, campaign_id: str) -> dict:
    from campaigns import services
    from campaigns.selectors import access_campaign, campaign_progress

    campaign = access_campaign(user=user, campaign_id=campaign_id)
    services.campaign_refresh(campaign=campaign)
    return campaign_progress(campaign=campaign)


TOOLS = {
    "start_campaign": _start_campaign, "brief_campaign": _brief_campaign, "campaign_progress": _campaign_progress,
    "search_listings": _search_listings, "read_terms": _read_terms, "buy_licence": _buy_licence, "submit_brief": _submit_brief,
    "poll_job": _poll_job, "fetch_output": _fetch_output, "verify_file": _verify_file,
}


def build_server(agent: Agent):
    """The FastMCP server bound to one agent."""
    from mcp.server.fastmcp import FastMCP
    from mcp.server.fastmcp.exceptions import ToolError

    server = FastMCP("rightscast", instructions="Rightscast for brands: find talent, read terms, get licences (a person pays), brief, fetch outputs with their licence records, verify files.")

    async def run(tool: str, **args) -> Any:
        try:
            return await sync_to_async(call, thread_sensitive=True)(agent, tool, **args)
        except AgentRefused as exc:
            raise ToolError(str(exc)) from None

    @server.tool(description="Search listed talent (likenesses) and their offers; optional text query and price ceiling in minor units.")
    async def search_listings(query: str = "", max_price_minor: int | None = None) -> list:
        return await run("search_listings", query=query, max_price_minor=max_price_minor)

    @server.tool(description="Read one offer: its price and its licence terms.")
    async def read_terms(offer_id: str) -> dict:
        return await run("read_terms", offer_id=offer_id)

    @server.tool(description="Start buying an offer's licence. Returns a checkout_url for a person to pay; never pays by itself.")
    async def buy_licence(offer_id: str) -> dict:
        return await run("buy_licence", offer_id=offer_id)

    @server.tool(description="Submit a brief (prompt) under an active licence you hold; screened and checked against the terms.")
    async def submit_brief(licence_id: str, prompt: str, seed: int | None = None, media: str = "image") -> dict:
        return await run("submit_brief", licence_id=licence_id, prompt=prompt, seed=seed, media=media)

    @server.tool(description="A job's status and progress.")
    async def poll_job(job_id: str) -> dict:
        return await run("poll_job", job_id=job_id)

    @server.tool(description="A released output (base64) with its licence record.")
    async def fetch_output(job_id: str) -> dict:
        return await run("fetch_output", job_id=job_id)

    @server.tool(description="Verify a file (base64): made here? which generation and licence? still valid?")
    async def verify_file(data_base64: str, name: str = "upload") -> dict:
        return await run("verify_file", data_base64=data_base64, name=name)

    @server.tool(description="Start a campaign: every listed talent under the per-talent price ceiling (matching the query), cheapest first, within the budget (minor units). A person pays before briefing.")
    async def start_campaign(name: str, budget_minor: int, price_ceiling_minor: int, currency: str = "gbp", query: str = "") -> dict:
        return await run("start_campaign", name=name, budget_minor=budget_minor, price_ceiling_minor=price_ceiling_minor, currency=currency, query=query)

    @server.tool(description="Brief every licensed talent of a campaign: {talent} in the prompt becomes each name; variants per talent.")
    async def brief_campaign(campaign_id: str, prompt_template: str, variants: int = 1, media: str = "image") -> dict:
        return await run("brief_campaign", campaign_id=campaign_id, prompt_template=prompt_template, variants=variants, media=media)

    @server.tool(description="A campaign's progress per talent: payment, briefs, jobs, refusals with reasons, spend against budget.")
    async def campaign_progress(campaign_id: str) -> dict:
        return await run("campaign_progress", campaign_id=campaign_id)

    return server
