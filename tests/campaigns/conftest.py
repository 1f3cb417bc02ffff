from tests.marketplace.conftest import stripe_server, webhook  # noqa: F401  (the Stripe-shaped server and signed webhooks)
