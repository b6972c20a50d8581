from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from safeguarding.accounts import services
from safeguarding.accounts.models import (
    ApiToken,
    Area,
    EnrolmentCode,
    Organisation,
    Person,
    Post,
    RoleAssignment,
    User,
)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "standing", "is_active"]
    list_filter = ["kind", "standing", "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["areas"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email"]
    search_fields = ["full_name", "email"]
    inlines = [PostInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class SafeguardingUserAdmin(UserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "person", "is_active", "locked_until"]
    readonly_fields = ["totp_confirmed_at", "totp_last_counter", "failed_login_count", "locked_until"]
    fieldsets = UserAdmin.fieldsets + (
        ("Safeguarding", {"fields": ["person", "totp_confirmed_at", "failed_login_count", "locked_until"]}),
    )
    actions = ["issue_enrolment_code"]

    @admin.action(description="Issue an enrolment code for two-step verification")
    def issue_enrolment_code(self, request, queryset):
        """Shown once on the page that answers, never in a message stored in the session."""
        try:
            issued = [services.enrolment_code_issue(user=user, actor=request.user) for user in queryset]
        except PermissionDenied as error:
            self.message_user(request, str(error), level="error")
            return None
        response = TemplateResponse(
            request, "admin/accounts/enrolment_codes.html", {**self.admin_site.each_context(request), "issued": issued}
        )
        response["Cache-Control"] = "no-store"
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created and revoked on the API tokens page, where it is audited."""

    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):
    """Codes are issued by the action on users (or ``manage.py enrolment_code``), where it is audited."""

    list_display = ["user", "issued_by", "issued_at", "expires_at", "used_at"]
    fields = readonly_fields = [f.name for f in EnrolmentCode._meta.fields if f.name not in {"id", "code_hash"}]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
