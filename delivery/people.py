"""How a person is named on pages, in e-mails, in PDFs and in the API: one rule for every app."""

from __future__ import annotations


def display_name(user) -> str:
    """The user's full name, or their user name when they have none; "" for nobody (a system act)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
