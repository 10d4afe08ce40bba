from django.urls import path

from . import profile

app_name = "profile"

urlpatterns = [
    path("", profile.profile, name="page"),
    path("tokens/", profile.token_new, name="token_new"),
    path("tokens/<int:token_id>/revoke/", profile.token_revoke_view, name="token_revoke"),
    path("calendar/", profile.feed_new, name="feed_new"),
    path("calendar/revoke/", profile.feed_revoke_view, name="feed_revoke"),
]
