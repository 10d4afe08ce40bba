"""docs/templates.md lists the context a template sees; the real context and the sample agree."""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.tests.factories import DEFAULT_PASSWORD
from doctemplates.context import sample_context, version_context
from doctemplates.sandbox import render_body
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


def _display_record(value) -> bool:
    """A frozen dataclass instance: documents.content's DisplayField/DisplayTable, sealing.signoff's
    Party/SignerEntry. Read-only records of what the page shows, like a dict a template reads."""
    return dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen


def _entries(value) -> dict | None:
    if isinstance(value, dict):
        return value
    return vars(value) if _display_record(value) else None


def _leaf_keys(context: dict, prefix: str = "") -> set[str]:
    keys = set()
    for name, value in context.items():
        key = f"{prefix}{name}"
        if _entries(value) is not None and name != "pdf_metadata":
            keys |= _leaf_keys(_entries(value), f"{key}.")
        elif isinstance(value, list) and value and _entries(value[0]) is not None:
            keys |= _leaf_keys(_entries(value[0]), f"{key}[].")
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
    assert len(keys) == 39
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
    if _display_record(value):
        return _plain(vars(value))
    return value is None or isinstance(value, str | int | bool | datetime.date)


def test_the_context_holds_plain_values_only(version):
    """What a template author can reach: no model instance, manager or callable with side effects;
    read-only display records (frozen dataclasses: fields, tables, parties, signers) are fine."""
    assert _plain(version_context(_signed(version))) is True


def test_sample_context_renders_for_every_deliverable_type():
    html = (
        "{% for t in tables %}{{ t.heading }}{% for r in t.table.rows %}{{ r.0 }}{% endfor %}{% endfor %}"
        "{% for f in fields %}{{ f.label }}{{ f.value }}{% endfor %}"
        "{% for g in groups %}{{ g.heading }}"
        "{% for number, text in g.items %}{{ number }}{{ text }}{% endfor %}{% endfor %}"
        '{% include "sealing/pdf/sign_off.html" %}'
    )
    bodies = [render_body(html=html, context=sample_context(t)) for t in DeliverableType.objects.all()]

    assert len(bodies) == DeliverableType.objects.count()
    assert [body for body in bodies if "示例文字" not in body] == []
    # Both parties signed, and the vendor's seal drawn where the sealed PDF's seal goes.
    assert [body for body in bodies if body.count("示例签署人") != 2 or body.count('id="seal"') != 1] == []


def test_sample_groups_are_numbered_within_each_kind_for_a_requirements_confirmation():
    groups = sample_context(_type("requirements_confirmation"))["groups"]

    assert [(group["heading"], group["items"]) for group in groups] == [
        ("一、交付需求", [(1, "示例文字"), (2, "示例文字")]),
        ("二、上线条件", [(1, "示例文字"), (2, "示例文字")]),
        ("三、验收标准", [(1, "示例文字"), (2, "示例文字")]),
    ]
    assert sample_context(_type("golive_confirmation"))["groups"] == []
