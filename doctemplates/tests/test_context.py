"""docs/templates.md lists the context a template sees; the real context and the sample agree."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tests.factories import DEFAULT_PASSWORD
from doctemplates.context import sample_context, version_context
from doctemplates.sandbox import render_body
from documents.content import DisplayField, DisplayTable
from documents.models import DeliverableType
from documents.services import version_sign, version_submit
from documents.tests.factories import DeliverableFactory, VersionFactory

from .conftest import META

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs" / "templates.md"


def _documented_keys() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("<!-- context-keys", 1)[1].split("<!-- /context-keys -->", 1)[0]
    return re.findall(r"^- `([\w.\[\]]+)`", block, flags=re.MULTILINE)


def _resolve(context: dict, key: str) -> bool | None:
    """Is the dotted key (``[]`` = each entry of a list) in ``context``? None: behind an empty list."""
    values = [context]
    for part in key.split("."):
        is_list = part.endswith("[]")
        name = part.removesuffix("[]")
        found = []
        for value in values:
            item = value[name] if isinstance(value, dict) and name in value else getattr(value, name, _MISSING)
            if item is _MISSING:
                return False
            found.extend(item if is_list else [item])
        values = found
        if is_list and not values:
            return None  # an empty list proves nothing about its entries' keys
    return True


_MISSING = object()


def _type(code: str) -> DeliverableType:
    return DeliverableType.objects.get(code=code)


def _leaf_keys(context: dict, prefix: str = "") -> set[str]:
    keys = set()
    for name, value in context.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and name != "pdf_metadata":
            keys |= _leaf_keys(value, f"{key}.")
        elif isinstance(value, list) and value and isinstance(value[0], dict | DisplayField | DisplayTable):
            first = value[0] if isinstance(value[0], dict) else vars(value[0])
            keys |= _leaf_keys(first, f"{key}[].")
        else:
            keys.add(key)
    return keys


def _signed(version):
    version = version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)
    lead = version.deliverable.project.customer_lead
    version_sign(
        version=version, user=lead, meta=META, typed_name=lead.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )
    version.refresh_from_db()
    return version


def test_every_documented_key_is_in_the_real_context(version):
    # A signed requirements confirmation has items, tables, signatures and events; a go-live
    # confirmation has form fields.
    golive = VersionFactory(
        deliverable=DeliverableFactory(project=version.deliverable.project, type=_type("golive_confirmation"))
    )
    contexts = [version_context(_signed(version)), version_context(golive)]

    keys = _documented_keys()
    assert len(keys) == 32
    results = {key: [_resolve(context, key) for context in contexts] for key in keys}
    assert [key for key, found in results.items() if False in found or True not in found] == []


def test_every_key_of_the_real_context_is_documented(version):
    context = version_context(_signed(version))

    documented = _documented_keys()
    undocumented = [
        key
        for key in _leaf_keys(context)
        if key not in documented and not any(d.startswith(f"{key}[].") for d in documented)
    ]
    assert undocumented == []


def test_sample_context_has_the_real_context_keys(version):
    real = _leaf_keys(version_context(_signed(version)))

    assert _leaf_keys(sample_context(version.deliverable.type)) == real


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, DisplayField | DisplayTable):
        return _plain(vars(value))
    return value is None or isinstance(value, str | int | bool | datetime.date)


def test_the_context_holds_plain_values_only(version):
    """What a template author can reach: no model instance, manager or callable with side effects."""
    assert _plain(version_context(_signed(version))) is True


def test_sample_context_renders_for_every_deliverable_type():
    html = (
        "{% for t in tables %}{{ t.label }}{% for r in t.rows %}{{ r.0 }}{% endfor %}{% endfor %}"
        "{% for f in fields %}{{ f.label }}{{ f.value }}{% endfor %}"
    )
    bodies = [render_body(html=html, context=sample_context(t)) for t in DeliverableType.objects.all()]

    assert len(bodies) == DeliverableType.objects.count()
    assert [body for body in bodies if "示例文字" not in body] == []
