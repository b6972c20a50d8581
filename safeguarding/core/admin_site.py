from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class SafeguardingAdminSite(admin.AdminSite):
    """The admin is for administrators only, and they sign in through the service's
    own log-in so that lockout and two-step verification apply here too."""

    site_header = "Safeguarding administration"
    site_title = "Safeguarding administration"
    index_title = "Reference data"

    def has_permission(self, request) -> bool:
        from safeguarding.core.permissions import Perm, has_perm

        return has_perm(request.user, Perm.ADMIN_SITE) and request.session.get("two_factor_verified", False)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


class SafeguardingAdminConfig(AdminConfig):
    default_site = "safeguarding.core.admin_site.SafeguardingAdminSite"
