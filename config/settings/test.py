"""Tests. SQLite in a temp folder unless DATABASE_URL is set (the integration tier sets it)."""
import os
import tempfile
from pathlib import Path

os.environ.setdefault("RIGHTSCAST_VAR_DIR", tempfile.mkdtemp(prefix="rightscast-test-"))

from .base import *  # noqa: E402,F401,F403
from .base import BASE_DIR, env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The built-in model is built once per machine and shared by test runs (it is deterministic).
GENERATION_BUILTIN_MODEL_DIR = Path(
    env("GENERATION_BUILTIN_MODEL_DIR", default=str(BASE_DIR / "var" / "models" / "builtin"))
)
GENERATION_STEPS = env.int("GENERATION_STEPS", default=2)
GENERATION_SIZE = env.int("GENERATION_SIZE", default=256)
# Unit tests run tasks inline; the integration tier switches this off and starts a real worker process.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # the guard is on in tests: only the receivers' loopback is allowed
WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32", "::1/128"]  # test receivers listen on 127.0.0.1
WEBHOOK_BACKOFF_SECONDS = env.float("WEBHOOK_BACKOFF_SECONDS", default=0.01)

# Runs of the suite never collide on the shared services: each run (and the worker processes it
# starts, which inherit the variable) has its own test database, broker keys and channel groups.
RUN_ID = os.environ.setdefault("RIGHTSCAST_TEST_RUN", os.urandom(4).hex())
if env("DATABASE_URL", default=""):
    DATABASES["default"]["TEST"] = {"NAME": f"test_rightscast_{RUN_ID}"}  # noqa: F405
if REDIS_URL:  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"rc-{RUN_ID}:"}  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"rc-{RUN_ID}"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"rc-{RUN_ID}"  # noqa: F405  (security limits count per run)
