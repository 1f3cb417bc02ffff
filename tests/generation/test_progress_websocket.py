"""Progress over Channels: the consumer admits only people who may see the job, sends the current
state at once, and relays what the worker pushes."""
import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from accounts.models import User
from config.asgi import application
from generation.models import Brief, GenerationJob
from generation.progress import group_name
from tests.factories import UserFactory, active_licence

pytestmark = pytest.mark.django_db(transaction=True)


def _job_for(licence):
    brief = Brief.objects.create(requester=licence.licensee, licence=licence, prompt="p", seed=1, status="accepted", decision={})
    return GenerationJob.objects.create(brief=brief, mark_id=123456)


async def _connect(user, job):
    from channels.db import database_sync_to_async
    from django.test import Client

    client = Client()
    await database_sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    comm = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/", headers=[(b"cookie", cookie.encode()), (b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")])
    connected, code = await comm.connect()
    return comm, connected, code


def test_requester_gets_state_then_pushes():
    licence, _, _ = active_licence()
    job = _job_for(licence)

    async def scenario():
        comm, connected, _ = await _connect(licence.licensee, job)
        assert connected
        first = await comm.receive_json_from(timeout=5)
        assert first["status"] == "queued" and first["job_id"] == str(job.pk)
        await get_channel_layer().group_send(group_name(job.pk), {"type": "job.progress", "payload": {"status": "running", "step": 1, "total_steps": 2}})
        pushed = await comm.receive_json_from(timeout=5)
        assert pushed["step"] == 1
        await comm.disconnect()

    async_to_sync(scenario)()


def test_others_are_turned_away():
    licence, _, _ = active_licence()
    job = _job_for(licence)
    stranger = UserFactory(kind=User.Kind.BRAND)

    async def scenario():
        comm, connected, code = await _connect(stranger, job)
        assert not connected
        await comm.disconnect()

    async_to_sync(scenario)()


async def _connect_with(job, authorization: bytes | None, origin: bytes | None = None):
    headers = [(b"host", b"127.0.0.1")]
    if authorization is not None:
        headers.append((b"authorization", authorization))
    if origin is not None:
        headers.append((b"origin", origin))
    comm = WebsocketCommunicator(application, f"/ws/jobs/{job.pk}/", headers=headers)
    connected, code = await comm.connect()
    return comm, connected, code


def test_an_api_client_listens_with_its_token():
    from accounts.tokens import api_token_issue

    licence, _, _ = active_licence()
    job = _job_for(licence)
    key = api_token_issue(user=licence.licensee, scope="read")[1]
    stranger = api_token_issue(user=UserFactory(kind=User.Kind.BRAND))[1]

    async def scenario():
        comm, connected, _ = await _connect_with(job, f"Token {key}".encode())  # no Origin: not a browser
        assert connected
        first = await comm.receive_json_from(timeout=5)
        assert first["job_id"] == str(job.pk) and first["status"] == "queued"
        await get_channel_layer().group_send(group_name(job.pk), {"type": "job.progress", "payload": {"job_id": str(job.pk), "status": "running", "step": 1}})
        assert (await comm.receive_json_from(timeout=5))["step"] == 1
        await comm.disconnect()
        comm, connected, _ = await _connect_with(job, f"Bearer {key}".encode(), origin=b"http://evil.example")
        assert connected  # a token is not an ambient credential: Origin does not matter
        await comm.disconnect()
        for bad in (f"Token {stranger}".encode(), b"Token nope", b"Basic dXNlcjpwdw==", b"Token "):
            comm, connected, _ = await _connect_with(job, bad)
            assert not connected, bad
        # no header and no session: refused as before
        comm, connected, _ = await _connect_with(job, None, origin=b"http://127.0.0.1")
        assert not connected

    async_to_sync(scenario)()
