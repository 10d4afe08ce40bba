"""The client address every limit and audit record uses, behind trusted proxies only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from delivery.audit import RequestMeta
from delivery.client_address import client_ip
from documents.models import Signature, VersionEvent
from documents.services import version_submit
from documents.tests.factories import VersionFactory

PROXY = "10.0.0.2"
# The start of a minute: the rate limits count per minute, so a test never straddles two windows.
ONE_MINUTE_WINDOW = dt.datetime(2026, 12, 2, 10, 0, 0, tzinfo=dt.UTC)


def _ip(settings, *, trusted, remote, forwarded=None) -> str:
    settings.TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    assert _ip(settings, trusted=[], remote="203.0.113.5", forwarded="198.51.100.7") == "203.0.113.5"


def test_a_trusted_proxy_hands_over_to_the_client_it_names(settings):
    assert _ip(settings, trusted=["10.0.0.0/8"], remote=PROXY, forwarded="198.51.100.7") == "198.51.100.7"


def test_an_untrusted_hop_cannot_name_another_client(settings):
    assert _ip(settings, trusted=["10.0.0.0/8"], remote="203.0.113.5", forwarded="198.51.100.7") == "203.0.113.5"


def test_a_forged_entry_left_of_the_real_client_is_ignored(settings):
    forwarded = "1.2.3.4, 198.51.100.7, 10.0.0.3"

    assert _ip(settings, trusted=["10.0.0.0/8"], remote=PROXY, forwarded=forwarded) == "198.51.100.7"


def test_single_addresses_and_ipv6_networks_can_be_trusted(settings):
    assert _ip(settings, trusted=["192.0.2.10"], remote="192.0.2.10", forwarded="198.51.100.7") == "198.51.100.7"
    assert _ip(settings, trusted=["fd00::/8"], remote="fd00::1", forwarded="2001:db8::5") == "2001:db8::5"


def test_a_garbled_header_stops_at_the_proxy(settings):
    assert _ip(settings, trusted=["10.0.0.0/8"], remote=PROXY, forwarded="not-an-address") == PROXY


@pytest.mark.django_db
def test_two_clients_behind_one_trusted_proxy_have_separate_budgets(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("documents:verify")

    def post(forwarded: str) -> int:
        return client.post(url, {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    with time_machine.travel(ONE_MINUTE_WINDOW, tick=False):  # all requests in one limit window
        first = [post("198.51.100.7") for _ in range(11)]
        other = post("198.51.100.8")

    assert first == [200] * 10 + [429]
    assert other == 200


@pytest.mark.django_db
def test_an_untrusted_client_cannot_escape_its_budget_with_the_header(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = reverse("documents:verify")

    with time_machine.travel(ONE_MINUTE_WINDOW, tick=False):  # all requests in one limit window
        codes = [
            client.post(url, {}, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
            for n in range(11)
        ]

    assert codes == [200] * 10 + [429]


@pytest.mark.django_db
def test_signature_and_history_record_the_client_not_the_proxy(client, settings, django_capture_on_commit_callbacks):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    version = VersionFactory(number=1)
    version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=RequestMeta())
    lead = version.deliverable.project.customer_lead
    client.force_login(lead)
    d = version.deliverable

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("documents:sign", args=[d.project.code, d.type.code, 1]),
            {"typed_name": lead.get_full_name(), "consent": "on", "password": DEFAULT_PASSWORD},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )

    assert response.status_code == 302
    assert Signature.objects.get().ip_address == "198.51.100.7"
    assert VersionEvent.objects.get(kind="signed").ip_address == "198.51.100.7"
