from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.tests.factories import AdminUserFactory
from doctemplates.models import CustomTemplate
from documents.models import DeliverableType

GOOD_HTML = """{% load i18n %}
<h1 class="custom-title">{{ project.customer }} · {{ title }}</h1>
<p>定制模板 {{ project.code }} v{{ document.version }}</p>
{% for group in groups %}<h2 class="group">{{ group.heading }}</h2>
{% for number, text in group.items %}<p class="item">{{ number }}. {{ text }}</p>{% endfor %}
{% endfor %}
{% include "sealing/pdf/sign_off.html" %}
{% include "sealing/pdf/audit_trail.html" %}
"""
GOOD_CSS = "h1.custom-title { color: #b00; font-size: 20pt; }\n.item { margin: 2mm 0; }\n"


class CustomTemplateFactory(factory.django.DjangoModelFactory):
    """A stored draft, as written straight to the database (the services check and number uploads)."""

    class Meta:
        model = CustomTemplate

    deliverable_type = factory.LazyFunction(lambda: DeliverableType.objects.get(code="requirements_confirmation"))
    organization = None
    project = None
    name = "客户定制需求确认单"
    number = factory.Sequence(lambda n: n + 1)
    html = GOOD_HTML
    css = GOOD_CSS
    agreed_by = "王客户"
    agreed_on = datetime.date(2026, 11, 20)
    uploaded_by = factory.SubFactory(AdminUserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)
