"""The MCP server through the mcp client (in-process, over the SDK's memory transport): tools
listed, a licence bought (a checkout link comes back), a brief submitted and its output fetched
with its licence record and verified, an agent without the scope refused, every call audited."""
import json

import anyio
import pytest

from accounts.models import User
from accounts.tokens import api_token_issue
from agents.mcp_server import SCOPES, Agent, AgentRefused, build_server
from generation.models import Brief
from licensing.models import AuditEvent
from tests.factories import UserFactory, active_licence, listed_likeness

pytestmark = pytest.mark.django_db(transaction=True)


def _session_calls(server, calls):
    """Run `calls` (a list of (tool, args)) through a real MCP client session; return results."""
    from mcp.shared.memory import create_connected_server_and_client_session

    async def main():
        out = []
        async with create_connected_server_and_client_session(server._mcp_server) as client:
            tools = await client.list_tools()
            out.append(sorted(t.name for t in tools.tools))
            for name, args in calls:
                result = await client.call_tool(name, args)
                text = result.content[0].text if result.content else ""
                out.append((result.isError, text))
        return out

    return anyio.run(main)


def test_tools_are_listed_and_a_brand_buys_briefs_fetches_and_verifies(builtin_model):
    likeness, offer = listed_likeness(name="Ava Stone", price_minor=5000)
    licence, _, _ = active_licence()
    _, key = api_token_issue(user=licence.licensee)
    agent = Agent(key)
    out = _session_calls(build_server(agent), [
        ("search_listings", {"query": "ava"}),
        ("read_terms", {"offer_id": str(offer.pk)}),
        ("buy_licence", {"offer_id": str(offer.pk)}),
        ("submit_brief", {"licence_id": str(licence.pk), "prompt": "a portrait by the sea", "seed": 5}),
    ])
    assert out[0] == sorted(SCOPES)
    err, listings = out[1]
    assert not err and [row["name"] for row in json.loads(listings)] == ["Ava Stone"] if listings.startswith("[") else "Ava Stone" in listings
    err, terms = out[2]
    assert not err and json.loads(terms)["price_minor"] == 5000
    err, order = out[3]
    order = json.loads(order)
    assert not err and order["status"] == "pending" and "/pay/offline/" in order["checkout_url"] and "person must" in order["note"]
    err, brief = out[4]
    brief = json.loads(brief)
    assert not err and brief["status"] == "accepted", brief
    job_id = brief["job"]["job_id"]
    out = _session_calls(build_server(agent), [("poll_job", {"job_id": job_id}), ("fetch_output", {"job_id": job_id})])
    assert json.loads(out[1][1])["status"] == "released"
    fetched = json.loads(out[2][1])
    assert fetched["licence"]["id"] == str(licence.pk) and fetched["mime"] == "image/png"
    out = _session_calls(build_server(agent), [("verify_file", {"data_base64": fetched["data_base64"], "name": "out.png"})])
    answer = json.loads(out[1][1])
    assert answer["made_here"] and answer["generation_id"] == job_id
    actions = list(AuditEvent.objects.filter(action__startswith="mcp.").values_list("action", flat=True))
    assert {"mcp.search_listings", "mcp.buy_licence", "mcp.submit_brief", "mcp.fetch_output", "mcp.verify_file"} <= set(actions)


def test_an_agent_without_the_scope_is_refused_and_the_refusal_audited():
    licence, _, _ = active_licence()
    _, key = api_token_issue(user=licence.licensee)
    reader = Agent(key, narrow_to={"listings:read"})
    out = _session_calls(build_server(reader), [
        ("submit_brief", {"licence_id": str(licence.pk), "prompt": "not allowed"}),
        ("search_listings", {}),
    ])
    err, text = out[1]
    assert err and "briefs:write" in text
    assert not out[2][0]
    assert Brief.objects.count() == 0
    refused = AuditEvent.objects.get(action="mcp.submit_brief")
    assert refused.data["outcome"].startswith("refused") and refused.actor_id == licence.licensee_id


def test_bad_tokens_and_scopes_are_refused_clearly():
    with pytest.raises(AgentRefused, match="not valid"):
        Agent("nope")
    user = UserFactory(kind=User.Kind.BRAND)
    _, key = api_token_issue(user=user)
    with pytest.raises(AgentRefused, match="Unknown scope"):
        Agent(key, narrow_to={"everything"})
    user.is_active = False
    user.save()
    with pytest.raises(AgentRefused):
        Agent(key)


def test_a_domain_error_reaches_the_agent_as_a_message():
    user = UserFactory(kind=User.Kind.BRAND)
    agent = Agent(api_token_issue(user=user)[1])
    out = _session_calls(build_server(agent), [("poll_job", {"job_id": "not-a-job"}), ("verify_file", {"data_base64": "%%%"})])
    assert out[1][0] and "No such" in out[1][1]
    assert out[2][0] and "base64" in out[2][1]


def test_an_agent_runs_a_campaign_a_person_pays_for():
    from campaigns.models import Campaign
    from campaigns.services import campaign_offline_checkout

    for i in range(3):
        listed_likeness(name=f"Agent Talent {i}", price_minor=1000)
    brand = UserFactory(kind=User.Kind.BRAND)
    _, key = api_token_issue(user=brand)
    agent = Agent(key)
    out = _session_calls(build_server(agent), [("start_campaign", {"name": "Agentic", "budget_minor": 3000, "price_ceiling_minor": 1000})])
    started = json.loads(out[1][1])
    assert not out[1][0] and len(started["talents"]) == 3 and "person pays" in started["note"]
    campaign_offline_checkout(campaign=Campaign.objects.get(pk=started["id"]), actor=brand)  # the person pays
    out = _session_calls(build_server(agent), [
        ("brief_campaign", {"campaign_id": started["id"], "prompt_template": "{talent} in a meadow", "variants": 2}),
        ("campaign_progress", {"campaign_id": started["id"]}),
    ])
    briefed = json.loads(out[1][1])
    assert all(t["status"] == "briefed" and len(t["briefs"]) == 2 for t in briefed["talents"]), briefed
    assert Brief.objects.count() == 6
    reader = Agent(key, narrow_to={"briefs:read"})
    out = _session_calls(build_server(reader), [("start_campaign", {"name": "No", "budget_minor": 1, "price_ceiling_minor": 1})])
    assert out[1][0] and "licences:buy" in out[1][1]


def test_a_read_only_token_gives_an_agent_that_only_reads():
    licence, _, _ = active_licence()
    _, key = api_token_issue(user=licence.licensee, scope="read")
    reader = Agent(key)
    out = _session_calls(build_server(reader), [
        ("submit_brief", {"licence_id": str(licence.pk), "prompt": "not with a read token"}),
        ("buy_licence", {"offer_id": "x"}),
        ("search_listings", {}),
    ])
    assert out[1][0] and "briefs:write" in out[1][1]
    assert out[2][0] and "licences:buy" in out[2][1]
    assert not out[3][0]
    assert Brief.objects.count() == 0
    from accounts.tokens import api_token_revoke

    token = api_token_revoke(user=licence.licensee, token_id=__import__("accounts.models", fromlist=["ApiToken"]).ApiToken.objects.get(user=licence.licensee).pk)
    assert token.revoked_at is not None
    with pytest.raises(AgentRefused, match="revoked"):
        Agent(key)


def test_an_agent_runs_a_twenty_talent_campaign_with_three_variants_each():
    """The done bar through MCP: 20 talents, one checkout a person pays, 60 generations briefed
    (queued, not rendered here: the bar is the agent's path, bounded in time on a CPU)."""
    from campaigns.models import Campaign
    from campaigns.services import campaign_offline_checkout
    from config.celery import app
    from generation.models import GenerationJob

    for i in range(20):
        listed_likeness(name=f"Crowd Talent {i:02d}", price_minor=500)
    brand = UserFactory(kind=User.Kind.BRAND)
    agent = Agent(api_token_issue(user=brand)[1])
    out = _session_calls(build_server(agent), [("start_campaign", {"name": "Crowd", "budget_minor": 10000, "price_ceiling_minor": 500})])
    started = json.loads(out[1][1])
    assert len(started["talents"]) == 20 and started["checkout_url"] and "one Checkout" in started["note"]
    campaign_offline_checkout(campaign=Campaign.objects.get(pk=started["id"]), actor=brand)  # the person pays, once
    was = app.conf.task_always_eager
    app.conf.task_always_eager = False  # queued for the GPU workers, not rendered inside the call
    try:
        out = _session_calls(build_server(agent), [
            ("brief_campaign", {"campaign_id": started["id"], "prompt_template": "{talent} waves at the camera", "variants": 3}),
        ])
    finally:
        app.conf.task_always_eager = was
    assert not out[1][0], out[1][1]
    briefed = json.loads(out[1][1])
    assert len(briefed["talents"]) == 20 and all(t["status"] == "briefed" and len(t["briefs"]) == 3 for t in briefed["talents"])
    assert Brief.objects.filter(status="accepted").count() == 60 and GenerationJob.objects.count() == 60
    assert AuditEvent.objects.filter(action="mcp.brief_campaign").exists()
