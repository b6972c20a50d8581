"""The maintained lists only. Notifications and reviews hold children's details, and a
read of those is recorded with its purpose (``reviews.reads``), which the admin does not
do: they are kept out of it."""

from django.contrib import admin

from safeguarding.reviews.models import NotificationReason, ReviewTheme


@admin.register(NotificationReason)
class NotificationReasonAdmin(admin.ModelAdmin):
    """Why an incident was notified, offered on the notification."""

    list_display = ["code", "title", "is_active"]


@admin.register(ReviewTheme)
class ReviewThemeAdmin(admin.ModelAdmin):
    """The themes reviews are tagged with."""

    list_display = ["code", "title", "is_active"]
