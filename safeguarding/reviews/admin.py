"""The maintained lists and the partnership's day plan only. Notifications and reviews hold children's details, and a
read of those is recorded with its purpose (``reviews.reads``), which the admin does not
do: they are kept out of it."""

from django.contrib import admin

from safeguarding.reviews.models import DayPlanStep, NotificationReason, ReviewTheme


@admin.register(NotificationReason)
class NotificationReasonAdmin(admin.ModelAdmin):
    """Why an incident was notified, offered on the notification."""

    list_display = ["code", "title", "is_active"]


@admin.register(ReviewTheme)
class ReviewThemeAdmin(admin.ModelAdmin):
    """The themes reviews are tagged with."""

    list_display = ["code", "title", "is_active"]


@admin.register(DayPlanStep)
class DayPlanStepAdmin(admin.ModelAdmin):
    """The partnership's own rapid review day plan (none: the typical plan)."""

    list_display = ["working_day", "code", "title"]
