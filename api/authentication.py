"""How API clients prove who they are: a personal access token (Authorization: Bearer …) for
scripts and tools, or the browser's session (with its CSRF check) for the API reference page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .selectors import token_find
from .services import token_mark_used


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer ”, with no spaces in it."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = token_find(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("The token has been revoked."))
        if not token.is_usable():
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account is disabled."))
        token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 (not 403) tells clients a token is needed.
        return self.keyword
