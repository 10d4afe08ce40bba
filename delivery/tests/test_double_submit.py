"""Every action form of the product, posted twice in a row (a double click, a resubmitted tab),
answers without a server error: the second POST is refused with the page and a message, or is
harmless. The forms are found by crawling the demo data as each demo user, not listed by hand,
so a new form is audited as soon as a page offers it."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# Pages that are not part of the product's actions, or that are files, not pages.
SKIP_PREFIXES = ("/admin/", "/accounts/logout", "/i18n/", "/static/", "/media/", "/healthz")
SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics", ".zip", ".png")
PAGES_PER_USER = 40
USERS = ("pm", "lead", "engineer", "dh_lead", "admin")


def _links(html: lxml.html.HtmlElement) -> list[str]:
    links = []
    for href in html.xpath("//a/@href"):
        path = urldefrag(href)[0]
        if path.startswith("/") and not path.startswith(SKIP_PREFIXES) and not path.endswith(SKIP_SUFFIXES):
            links.append(path)
    return links


def _form_data(form: lxml.html.FormElement, user) -> dict[str, list[str]]:
    """What a person would submit: the values shown, plausible text where a field is empty."""
    data: dict[str, list[str]] = {}
    for field in form.inputs:
        name = getattr(field, "name", None)
        if not name or name == "csrfmiddlewaretoken":
            continue
        tag = field.tag
        kind = (field.get("type") or "text").lower() if tag == "input" else tag
        if kind in ("submit", "button", "reset", "file", "image"):
            continue
        if kind in ("checkbox", "radio"):
            if kind == "radio" and name in data:
                continue
            data.setdefault(name, []).append(field.get("value") or "on")
            continue
        if tag == "select":
            options = [o.get("value") for o in field.xpath(".//option") if o.get("value")]
            chosen = [o.get("value") for o in field.xpath(".//option[@selected]") if o.get("value")]
            data[name] = (chosen or options[:1]) or [""]
            continue
        value = field.value if tag == "textarea" else field.get("value")
        if not value:
            value = _plausible(name, kind, user)
        data.setdefault(name, []).append(value)
    submit = next((b for b in form.xpath(".//button[@name]|.//input[@type='submit'][@name]")), None)
    if submit is not None:
        data[submit.get("name")] = [submit.get("value") or ""]
    return data


def _plausible(name: str, kind: str, user) -> str:
    if kind == "password":
        return DEMO_PASSWORD
    if "typed_name" in name:
        return user.get_full_name()
    if kind == "date" or name.endswith(("_on", "date", "_start", "starts_on", "ends_on")):
        return dt.date.today().isoformat()
    if kind in ("number", "range") or name.endswith(("hours", "days", "amount", "count")):
        return "1"
    if kind == "email":
        return "someone@example.com"
    return "测试内容"


def _crawl(client, user) -> dict[tuple[str, tuple[str, ...]], dict]:
    """GET the pages reachable from the dashboard; return each distinct action form's data."""
    forms: dict[tuple[str, tuple[str, ...]], dict] = {}
    queue, seen = ["/dashboard/"], set()
    while queue and len(seen) < PAGES_PER_USER:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, (user.username, "GET", path, response.status_code)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = lxml.html.fromstring(response.content.decode())
        queue.extend(link for link in _links(html) if link not in seen)
        for form in html.forms:
            if (form.method or "GET").upper() != "POST":
                continue
            action = urlsplit(form.action or path).path or path
            if action.startswith(SKIP_PREFIXES):
                continue
            data = _form_data(form, user)
            forms.setdefault((action, tuple(sorted(data))), data)
    return forms


def test_every_action_form_posted_twice_answers_without_a_server_error(client, certificate):
    call_command("seed_demo", stdout=io.StringIO())
    client.raise_request_exception = False  # a 500 comes back as a response, to be listed
    failures, posted = [], 0
    for username in USERS:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        for (action, _fields), data in _crawl(client, user).items():
            for attempt in (1, 2):
                response = client.post(action, data)
                posted += 1
                if response.status_code >= 500:
                    failures.append((username, action, attempt, response.status_code))

    assert failures == []
    assert posted > 100  # the crawl reached the product's forms, not only the dashboard
