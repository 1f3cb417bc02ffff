"""The end-to-end tier: a live `manage.py rundev` server (the embedded default: SQLite, in-process
Celery worker, Daphne serving HTTP and websockets, the built-in model) in a subprocess, driven by
Debian's /usr/bin/chromium through Playwright's sync API. Nothing here touches the test database:
the server keeps its own SQLite file in a fresh folder."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SERVER_START_TIMEOUT_S = 900  # migrate + seed (face checks, demo generations) + warm the model + C2PA dev certs, on a shared 2-core machine


def _python() -> str:
    venv_python = REPO / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    env: dict
    var_dir: Path
    log_path: Path
    proc: subprocess.Popen

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run another manage.py command against the same settings and the same SQLite database."""
        return subprocess.run(
            [_python(), "manage.py", *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=timeout
        )


def _server_env(var_dir: Path) -> dict:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MEDIA_ROOT", "C2PA_DEV_DIR", "C2PA_CERT_CHAIN",
                 "C2PA_PRIVATE_KEY", "C2PA_TRUST_ANCHORS", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
                 "GENERATION_MODEL_PATH"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        RIGHTSCAST_VAR_DIR=str(var_dir),
        GENERATION_BUILTIN_MODEL_DIR=str(REPO / "var" / "models" / "builtin"),
        GENERATION_STEPS="6",
        DEBUG="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_up(url: str, proc: subprocess.Popen, deadline: float) -> None:
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"rundev exited with code {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as resp:
                if resp.status == 200:
                    return
                last_error = f"HTTP {resp.status}"
        except urllib.error.HTTPError as exc:
            last_error = f"HTTP {exc.code}"
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last_error = repr(exc)
        time.sleep(0.5)
    raise RuntimeError(f"rundev did not answer GET / in time ({last_error})")


@pytest.fixture(scope="session")
def live_server_proc(tmp_path_factory):
    """One server for the whole end-to-end tier (seeding the demo takes minutes on a shared
    machine); it is a separate process, so it does not touch the ORM tests that may run later,
    and the browser (module-scoped) is gone before they do.
    The real embedded default (`manage.py rundev 127.0.0.1:<port>`), fresh SQLite, media and
    dev certificates in a temp folder; stdout/stderr captured to a file, printed on failure."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"end-to-end tier needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    var_dir = tmp_path_factory.mktemp("rightscast-var")
    log_path = var_dir / "rundev.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _server_env(var_dir)
    log_file = open(log_path, "wb")
    proc = subprocess.Popen(
        [_python(), "manage.py", "rundev", f"127.0.0.1:{port}"],
        cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    server = LiveServer(url=url, env=env, var_dir=var_dir, log_path=log_path, proc=proc)
    try:
        _wait_until_up(url, proc, time.monotonic() + SERVER_START_TIMEOUT_S)
    except Exception as exc:
        _stop(proc)
        log_file.close()
        pytest.fail(f"{exc}\n--- rundev output ---\n{server.log()}", pytrace=False)
    yield server
    _stop(proc)
    log_file.close()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture
def live_server_url(live_server_proc, request):
    """The live server's base URL; when the test fails, its output is printed."""
    yield live_server_proc.url
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        print(f"\n--- rundev output ({live_server_proc.log_path}) ---\n{live_server_proc.log()[-20000:]}")


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            headless=True,
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, live_server_url):
    context = browser.new_context(base_url=live_server_url, accept_downloads=True, viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.set_default_navigation_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def face_png(tmp_path_factory) -> Path:
    """A real photograph with a face that ships inside scikit-image (no download)."""
    from PIL import Image
    from skimage import data

    path = tmp_path_factory.mktemp("upload") / "astronaut.png"
    Image.fromarray(data.astronaut()).save(path, format="PNG")
    return path


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory) -> Path:
    """Screenshots and downloads; kept in pytest's tmp folder (printed at the end of a run)."""
    return tmp_path_factory.mktemp("e2e-artifacts")

