import os
from pathlib import Path

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    """Tests under tests/integration are the integration tier; under tests/e2e the end-to-end
    tier. The integration tier needs DATABASE_URL and REDIS_URL (scripts/test.sh sets them)."""
    for item in items:
        path = str(item.fspath)
        if f"{os.sep}integration{os.sep}" in path:
            item.add_marker(pytest.mark.integration)
            if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
                item.add_marker(pytest.mark.skip(reason="integration tier: set DATABASE_URL and REDIS_URL (make test does)"))
        if f"{os.sep}e2e{os.sep}" in path:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def builtin_model():
    """The built-in development model, built once per machine (it is deterministic)."""
    from generation.runtime import build_default_model

    return build_default_model(Path(settings.GENERATION_BUILTIN_MODEL_DIR))


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """Security limits count in the cache; each test starts with none spent. Only the in-process
    cache is cleared (clearing Redis would flush the database other runs share)."""
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def talent(db):
    from accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(kind=User.Kind.TALENT)


@pytest.fixture
def brand(db):
    from accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(kind=User.Kind.BRAND)
