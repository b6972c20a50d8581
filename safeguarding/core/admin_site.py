from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class AuditedAdminMixin:
    """Writes made through the admin go into the audit trail like any other: who, when,
    and what changed."""

    def save_model(self, request, obj, form, change):
        # Here, not at the top: Django loads this module with the admin's app config,
        # before any model can be imported.
        from safeguarding.core.audit import diff, record_write, snapshot
        from safeguarding.core.models import AuditEvent  # (the same)

        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        if before is None:
            record_write(actor=request.user, action=AuditEvent.Action.CREATE, instance=obj, changes=snapshot(obj))
        else:
            changes = diff(before, snapshot(obj))
            if changes:
                record_write(actor=request.user, action=AuditEvent.Action.UPDATE, instance=obj, changes=changes)

    def delete_model(self, request, obj):
        from safeguarding.core.audit import record_write, snapshot  # models: see save_model
        from safeguarding.core.models import AuditEvent  # see save_model

        record_write(actor=request.user, action=AuditEvent.Action.DELETE, instance=obj, changes=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class SafeguardingAdminSite(admin.AdminSite):
    """The admin is for administrators only, and they sign in through the service's
    own log-in so that lockout and two-step verification apply here too."""

    site_header = "Safeguarding administration"
    site_title = "Safeguarding administration"
    index_title = "Reference data"

    def has_permission(self, request) -> bool:
        from safeguarding.core.permissions import Perm, has_perm  # imports models: see save_model

        return has_perm(request.user, Perm.ADMIN_SITE) and request.session.get("two_factor_verified", False)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(f"Audited{admin_class.__name__}", (AuditedAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


class SafeguardingAdminConfig(AdminConfig):
    default_site = "safeguarding.core.admin_site.SafeguardingAdminSite"
