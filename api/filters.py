"""Query filters of the list endpoints (django-filter), applied on top of the selectors' querysets."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from changes.enums import ChangeKind, ChangeState
from golive.enums import ProblemStatus
from projects.enums import Phase
from support.enums import RequestState


@extend_schema_field(OpenApiTypes.INT)  # the schema needs no database to describe it
class IdFilter(django_filters.Filter):
    """A row id: a whole number within the database's range (a huge one is a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ProjectFilter(django_filters.FilterSet):
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    customer = IdFilter(field_name="customer_id")
    search = django_filters.CharFilter(method="filter_search", max_length=100)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class ChangeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ChangeKind.choices)
    state = django_filters.ChoiceFilter(choices=ChangeState.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    def filter_overdue(self, queryset, name, value):
        waiting = Q(overdue_at__isnull=False, replied_at__isnull=True)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)


class ProblemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices)


class SupportRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RequestState.choices)
