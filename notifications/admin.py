from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "verb", "created_at", "read_at", "emailed_at"]
    list_filter = ["verb"]
    search_fields = ["recipient__username", "verb"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at"]
