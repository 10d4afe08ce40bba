"""Every clock of the product, in one table, each rule registered by its owner in AppConfig.ready."""

from __future__ import annotations

import pytest
from django.apps import apps

from deadlines.clocks import CLOCKS, clock_length
from deadlines.enums import Clock, RuleCode
from deadlines.hooks import get_rule, register_rule, registered_codes


def test_the_table_lists_every_clock_with_length_unit_clause_and_owner():
    rows = {code: (spec.length, spec.unit, spec.clause, spec.owner) for code, spec in CLOCKS.items()}
    assert rows == {
        RuleCode.CHANGE_REPLY: (5, Clock.WORKING_DAYS, "§4.2, §4.3", "changes"),
        RuleCode.COMPENSATION_CLAIM: (15, Clock.WORKING_DAYS, "§4.1, §4.2", "changes"),
        RuleCode.GOLIVE_OBJECTION: (15, Clock.WORKING_DAYS, "§3.1.4", "golive"),
        RuleCode.GOLIVE_ARRANGEMENT: (15, Clock.WORKING_DAYS, "§3.1.4", "golive"),
        RuleCode.FINAL_ACCEPTANCE_REMINDER: (None, Clock.WORKING_DAYS, "§3.1.4", "golive"),
        RuleCode.SUPPORT_RESPONSE: (1, Clock.SUPPORT_RESPONSE, "§6", "support"),
        RuleCode.SUPPORT_ENGINEER_RESPONSE: (None, Clock.SUPPORT_CUTOFF, "§6", "support"),
        RuleCode.SUPPORT_WORK_START: (None, Clock.SUPPORT_CUTOFF, "§6", "support"),
        RuleCode.SUPPORT_PROPOSAL: (None, Clock.SUPPORT_CUTOFF, "§6", "support"),
        RuleCode.SALES_CONFIRMATION: (1, Clock.WORKING_DAYS, "§6", "support"),
    }
    assert all(spec.start and spec.effect for spec in CLOCKS.values())


def test_every_rule_code_has_a_row_and_a_registered_effect():
    assert sorted(CLOCKS) == sorted(RuleCode.values)
    assert registered_codes() == sorted(RuleCode.values)


def test_each_rule_is_registered_by_the_app_its_row_names_with_the_table_clause():
    for code, spec in CLOCKS.items():
        rule = get_rule(code)
        assert apps.is_installed(spec.owner)
        assert rule.effect.__module__.split(".")[0] == spec.owner
        assert rule.clause == spec.clause


def test_final_acceptance_length_is_the_configured_stable_period(settings):
    settings.FINAL_ACCEPTANCE_STABLE_WORKING_DAYS = 22
    assert clock_length(RuleCode.FINAL_ACCEPTANCE_REMINDER) == 22
    settings.FINAL_ACCEPTANCE_STABLE_WORKING_DAYS = 30
    assert clock_length(RuleCode.FINAL_ACCEPTANCE_REMINDER) == 30
    assert clock_length(RuleCode.CHANGE_REPLY) == 5


def test_a_rule_without_a_row_is_refused():
    with pytest.raises(ValueError) as refused:
        register_rule("no_such_clock", effect=lambda deadline: None)
    assert str(refused.value) == "Rule 'no_such_clock' has no row in deadlines.clocks.CLOCKS."
    assert "no_such_clock" not in registered_codes()
