"""`manage.py mcp_serve` as a real subprocess speaking MCP over stdio, on the PostgreSQL test
database: tools listed, a search answered, a brief refused to an agent narrowed to reading."""
import os
import sys
from pathlib import Path

import anyio
import pytest
from django.conf import settings
from django.db import connection

from accounts.tokens import api_token_issue
from generation.models import Brief
from licensing.models import AuditEvent
from tests.factories import active_licence

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_mcp_serve_over_stdio():
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    assert connection.vendor == "postgresql"
    licence, _, _ = active_licence(name="Stdio Talent")
    _, key = api_token_issue(user=licence.licensee)
    db = connection.settings_dict
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "CONTENT_SCREENING_SEMANTIC": "0",
        "RIGHTSCAST_API_TOKEN": key,
    }
    params = StdioServerParameters(command=sys.executable, args=[str(ROOT / "manage.py"), "mcp_serve", "--scopes", "listings:read"], env=env, cwd=str(ROOT))

    async def main():
        with anyio.fail_after(120):
            return await talk()

    async def talk():
        async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = sorted(t.name for t in (await session.list_tools()).tools)
            found = await session.call_tool("search_listings", {"query": "stdio"})
            refused = await session.call_tool("submit_brief", {"licence_id": str(licence.pk), "prompt": "x"})
            return tools, found, refused

    tools, found, refused = anyio.run(main)
    assert "submit_brief" in tools and "verify_file" in tools
    assert not found.isError and "Stdio Talent" in found.content[0].text
    assert refused.isError and "briefs:write" in refused.content[0].text
    assert Brief.objects.count() == 0
    assert AuditEvent.objects.filter(action="mcp.submit_brief", data__outcome__startswith="refused").exists()
