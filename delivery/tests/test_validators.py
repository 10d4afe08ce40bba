"""Shared validators: mobile numbers in the contact directory and the team."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from delivery.validators import validate_mobile


@pytest.mark.parametrize(
    "value", ["", "13800000001", "138 0000 0001", "199-0000-0001", "+86 138 0000 0001", "+4915112345678"]
)
def test_mobile_numbers_that_can_be_dialled_pass(value):
    validate_mobile(value)


@pytest.mark.parametrize("value", ["1380000", "12800000001", "138000000012", "010-12345678", "+0123456", "abc"])
def test_other_mobile_numbers_are_refused_with_the_format(value):
    with pytest.raises(ValidationError) as refused:
        validate_mobile(value)

    assert refused.value.messages == ["请输入手机号码：11 位数字（如 13800000001），或以 + 开头的国际号码。"]
