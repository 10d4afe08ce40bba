from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import BotEvent, Platform

EVENT_CHOICES = [(code, label) for code, label in BotEvent.choices if code != BotEvent.TEST]


class HookForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    name = forms.CharField(label=_("Bot name"), max_length=100, required=False, help_text=_("e.g. the group's name"))
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=1000,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted and never shown again."),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("DingTalk (SEC…) and Feishu: the secret of the robot's signature setting."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events to post"),
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[code for code, _label in EVENT_CHOICES],
    )
