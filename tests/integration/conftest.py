"""The integration tier: real PostgreSQL and Redis (DATABASE_URL / REDIS_URL), and a real Celery
worker process started here, pointed at the test database the tests write to."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_broker():
    """Send tasks to the real broker instead of running them inline."""
    from config.celery import app

    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = True


def _wait_for_worker(app, proc, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited with {proc.returncode}")
        replies = app.control.ping(timeout=1.0)
        if replies:
            return
    raise RuntimeError("the Celery worker did not answer a ping in time")


class Workers:
    """Real Celery worker processes (`celery -A config worker -Q gpu,default --pool solo`) on the
    same PostgreSQL test database, media folder and signing certificates as the test. Each can
    be started with its own settings, killed (SIGKILL, as a crash) or stopped."""

    def __init__(self, app, tmp_path):
        self.app, self.tmp_path, self.procs = app, tmp_path, []

    def start(self, *, wait=True, **env_overrides):
        db = connection.settings_dict
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "C2PA_DEV_DIR": str(settings.C2PA_DEV_DIR),
            "GENERATION_BUILTIN_MODEL_DIR": str(settings.GENERATION_BUILTIN_MODEL_DIR),
            "CONTENT_SCREENING_SEMANTIC": "0",
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env_overrides.items()},
        }
        n = len(self.procs)
        log = self.tmp_path / f"worker-{n}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "gpu,default", "--pool", "solo",
                 "--concurrency", "1", "--loglevel", "INFO", "-n", f"it{n}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        proc.log = log
        self.procs.append(proc)
        if wait:
            _wait_for_worker(self.app, proc)
        return proc

    @staticmethod
    def kill(proc):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)

    def stop_all(self):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            print(f"--- {proc.log.name} ---")
            print(proc.log.read_text(errors="replace")[-3000:])


@pytest.fixture
def workers(transactional_db, real_broker, builtin_model, tmp_path):
    assert connection.vendor == "postgresql", "the integration tier runs on PostgreSQL"
    real_broker.control.purge()
    pool = Workers(real_broker, tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def celery_worker_process(workers):
    return workers.start()


@pytest.fixture
def fake(settings):
    """Payments through the official `stripe` SDK against the project's own Stripe-shaped server
    (webhooks signed with the money tests' secret). A test module that needs more (tax, FX, a
    payout minimum) overrides `fake`, asks for this one, and adds its settings."""
    from tests.integration.money_support import SECRET
    from tests.marketplace.stripe_server import FakeStripe

    with FakeStripe() as server:
        settings.STRIPE_SECRET_KEY = server.api_key
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        settings.STRIPE_API_BASE = server.url
        settings.PAYMENT_BACKEND = "stripe"
        yield server
