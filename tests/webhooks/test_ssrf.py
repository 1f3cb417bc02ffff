"""The SSRF / DNS-rebinding guard of outgoing webhooks: the host is resolved once, every address
must be public (or allow-listed: the tests' 127.0.0.1), and the connection goes to the address
that was checked, so a second answer from a rebinding DNS server is never asked for."""
import socket

import pytest

from accounts.errors import InvalidInput
from accounts.models import User
from tests.factories import UserFactory
from webhooks import delivery, services
from webhooks.models import WebhookDelivery

from .receiver import Receiver

LOOPBACK = ("127.0.0.1/32", "::1/128")

REFUSED = [
    "127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "169.254.1.1", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "::", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_each_internal_address_is_refused(address):
    assert "public internet" in delivery.address_refusal(address, allow_private=False)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address):
    assert delivery.address_refusal(address, allow_private=False) is None


def test_the_allow_list_lets_only_its_networks_through():
    assert delivery.address_refusal("127.0.0.1", allow_private=False, allowed_networks=LOOPBACK) is None
    assert delivery.address_refusal("::ffff:127.0.0.1", allow_private=False, allowed_networks=LOOPBACK) is None
    assert delivery.address_refusal("127.0.0.2", allow_private=False, allowed_networks=LOOPBACK)
    assert delivery.address_refusal("169.254.169.254", allow_private=False, allowed_networks=LOOPBACK)
    assert delivery.address_refusal("224.0.0.1", allow_private=True)  # multicast never, even in development


class FakeDNS:
    """getaddrinfo answering from a script (a rebinding server answers differently each time)."""

    def __init__(self, monkeypatch, *answers):
        self.answers, self.calls = list(answers), []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host.endswith(".example"):
                self.calls.append(host)
                ips = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
                return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in ips]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(delivery.socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def connections(monkeypatch):
    """Every address a delivery connects to."""
    seen = []
    real = socket.create_connection

    def create_connection(address, *args, **kwargs):
        seen.append(address[0])
        return real(address, *args, **kwargs)

    monkeypatch.setattr(delivery.socket, "create_connection", create_connection)
    return seen


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1"])
def test_a_name_resolving_to_an_internal_address_is_refused_without_connecting(monkeypatch, connections, address):
    FakeDNS(monkeypatch, [address])
    result = delivery.post("http://hooks.example/x", b"{}", {}, timeout=2, allow_private=False)
    assert not result.ok and "public internet" in result.error
    assert connections == []


def test_a_name_answering_public_and_internal_at_once_is_refused(monkeypatch, connections):
    FakeDNS(monkeypatch, ["93.184.216.34", "169.254.169.254"])
    with pytest.raises(InvalidInput):
        delivery.check_url("https://mixed.example/hook", allow_private=False)
    assert not delivery.post("https://mixed.example/hook", b"{}", {}, timeout=2, allow_private=False).ok
    assert connections == []


def test_rebinding_cannot_move_the_connection_after_the_check(monkeypatch, connections):
    """The first answer (allowed) is the address connected to; the rebinding server's second
    answer (the metadata address) is never asked for."""
    with Receiver() as rx:
        port = rx.server.server_address[1]
        dns = FakeDNS(monkeypatch, ["127.0.0.1"], ["169.254.169.254"])
        result = delivery.post(f"http://rebind.example:{port}/hooks?x=1", b'{"a":1}', {"X-Test": "1"}, timeout=5,
                               allow_private=False, allowed_networks=LOOPBACK)
    assert result.ok, result.error
    assert dns.calls == ["rebind.example"]  # resolved once
    assert connections == ["127.0.0.1"]
    assert rx.requests[0]["headers"]["Host"] == f"rebind.example:{port}"  # the URL's host, not the address
    assert rx.requests[0]["path"] == "/hooks?x=1" and rx.requests[0]["body"] == b'{"a":1}'


def test_rebinding_the_other_way_is_refused_at_the_first_answer(monkeypatch, connections):
    FakeDNS(monkeypatch, ["169.254.169.254"], ["127.0.0.1"])
    result = delivery.post("http://rebind.example/hooks", b"{}", {}, timeout=2, allow_private=False, allowed_networks=LOOPBACK)
    assert not result.ok and "public internet" in result.error and connections == []


@pytest.mark.django_db(transaction=True)
def test_an_endpoint_whose_name_turns_internal_after_it_was_added_is_refused_at_send_time(api, monkeypatch, settings, connections):
    """Registered while its name pointed at an allowed address; by delivery time the name points
    at the metadata service: the attempt is refused and recorded, nothing is connected to."""
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    with Receiver() as rx:
        port = rx.server.server_address[1]
        dns = FakeDNS(monkeypatch, ["127.0.0.1"], ["169.254.169.254"])
        api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
        r = api.post("/api/webhooks/", {"url": f"http://brand.example:{port}/hooks", "events": ["job.finished"]}, format="json")
        assert r.status_code == 201, r.content
        r = api.post(f"/api/webhooks/{r.json()['id']}/ping/")
        assert r.status_code == 202
    d = WebhookDelivery.objects.get(pk=r.json()["id"])
    assert d.status == "failed" and "public internet" in d.last_error
    assert rx.requests == [] and connections == [] and len(dns.calls) == 2


@pytest.mark.django_db
def test_the_api_refuses_a_name_that_resolves_internal(api, monkeypatch):
    FakeDNS(monkeypatch, ["10.1.2.3"])
    api.force_authenticate(UserFactory(kind=User.Kind.BRAND))
    r = api.post("/api/webhooks/", {"url": "https://internal.example/hook", "events": ["job.finished"]}, format="json")
    assert r.status_code == 400 and "public internet" in r.json()["detail"]
    assert services.allowed_networks() == ("127.0.0.1/32", "::1/128")  # the tests' allow-list, nothing wider
