import os

from django.core.management.base import BaseCommand, CommandError

from agents.mcp_server import Agent, AgentRefused, build_server


class Command(BaseCommand):
    help = "Serve the brand's tools to an AI agent over MCP (stdio), acting with an API token."

    def add_arguments(self, parser):
        parser.add_argument("--token", default=os.environ.get("RIGHTSCAST_API_TOKEN", ""), help="API token (or RIGHTSCAST_API_TOKEN)")
        parser.add_argument("--scopes", default="", help="comma-separated scopes to narrow the agent to (default: all the token has)")

    def handle(self, *args, token, scopes, **options):
        narrow = {s.strip() for s in scopes.split(",") if s.strip()} or None
        try:
            agent = Agent(token, narrow_to=narrow)
        except AgentRefused as exc:
            raise CommandError(str(exc))
        build_server(agent).run("stdio")
