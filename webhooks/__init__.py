"""Outgoing webhooks: endpoints a brand registers, events signed and delivered with retries, a
delivery log with replay. Sits under licensing, marketplace and generation (it imports only
`accounts`), so any of them can emit an event inside its own transaction."""
