from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Invitation, OneTimeCode, Organization, Profile, SecurityEvent, UserSession
from .sessions import user_sessions_end
from .stepup import Origin, stepup_unlock


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "stepup_method"]
    list_filter = ["kind", "stepup_method"]
    search_fields = ["name", "short_name"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


class UserSessionInline(admin.TabularInline):
    """The person's signed-in sessions; end them with the action on the user list or below."""

    model = UserSession
    fields = ["created_at", "last_seen_at", "ip_address", "user_agent"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class DeliveryUserAdmin(UserAdmin):
    inlines = [ProfileInline, UserSessionInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    list_select_related = ["profile"]
    search_fields = ["username", "first_name", "last_name", "email"]

    def get_search_results(self, request, queryset, search_term):
        """Full names too ("王 建国" or "王建国" whichever way it is stored), exact matches first."""
        term = search_term.strip()
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not term:
            return results, may_have_duplicates
        compact = term.replace(" ", "")
        full_names = queryset.annotate(
            _family_first=Concat("last_name", "first_name"), _given_first=Concat("first_name", "last_name")
        ).filter(Q(_family_first__icontains=compact) | Q(_given_first__icontains=compact))
        results = queryset.filter(Q(pk__in=results.values("pk")) | Q(pk__in=full_names.values("pk")))
        exact = Q(username__iexact=term) | Q(first_name__iexact=compact) | Q(first_name__iexact=term)
        ranked = results.select_related("profile__organization").annotate(
            _rank=Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        return ranked.order_by("_rank", "first_name", "username"), may_have_duplicates

    actions = ["end_sessions", "lift_stepup_lock"]

    @admin.action(description=_("End all sessions of the selected people"), permissions=["change"])
    def end_sessions(self, request, queryset) -> None:
        ended = sum(
            user_sessions_end(user=user, actor=request.user, meta=Origin.from_request(request)) for user in queryset
        )
        self.message_user(request, gettext("Sessions ended: %(n)d.") % {"n": ended})

    @admin.action(description=_("Lift the signing lock of the selected people"), permissions=["change"])
    def lift_stepup_lock(self, request, queryset) -> None:
        for user in queryset:
            stepup_unlock(user=user)
        self.message_user(request, _("The signing lock is lifted."), messages.SUCCESS)


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Every signed-in session; deleting one (or more) signs that browser out at once."""

    list_display = ["user", "created_at", "last_seen_at", "ip_address", "user_agent"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "ip_address"]
    readonly_fields = ["user", "created_at", "last_seen_at", "ip_address", "user_agent"]
    exclude = ["session"]
    actions = ["end_selected"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("End the selected sessions"), permissions=["delete"])
    def end_selected(self, request, queryset) -> None:
        ended = 0
        for user_id in set(queryset.values_list("user_id", flat=True)):
            keys = list(queryset.filter(user_id=user_id).values_list("session_id", flat=True))
            ended += user_sessions_end(
                user=User.objects.get(pk=user_id),
                actor=request.user,
                meta=Origin.from_request(request),
                session_keys=keys,
            )
        self.message_user(request, gettext("Sessions ended: %(n)d.") % {"n": ended})

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: step-up lockouts, codes sent and sessions ended, with the client address."""

    list_display = ["at", "kind", "user", "actor", "ip_address"]
    list_filter = ["kind"]
    list_select_related = ["user", "actor"]
    search_fields = ["user__username", "ip_address"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """Read-only; the code itself is never stored."""

    list_display = ["user", "purpose", "created_at", "sent_at", "expires_at", "used_at"]
    list_select_related = ["user"]
    exclude = ["code_hash"]
    readonly_fields = ["user", "purpose", "created_at", "sent_at", "expires_at", "used_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are created when someone adds a person without an account."""

    list_display = ["user", "invited_by", "created_at", "sent_at", "expires_at", "used_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "invited_by", "created_at", "sent_at", "expires_at", "used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
