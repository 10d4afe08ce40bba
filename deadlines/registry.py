"""Kept for support/rules.py until it imports deadlines.hooks (the support app is being reshaped)."""

from .hooks import Rule, get_rule, register_rule, registered_codes, unregister_rule

__all__ = ["Rule", "get_rule", "register_rule", "registered_codes", "unregister_rule"]
