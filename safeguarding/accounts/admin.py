from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safeguarding.accounts.models import ApiToken, Area, Organisation, Person, Post, RoleAssignment, User


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created and revoked on the API tokens page, where it is audited."""

    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
