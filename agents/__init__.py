"""AI agents acting for a brand: the MCP server (Model Context Protocol). Above every app: it
composes their services and selectors, as the REST API does."""
