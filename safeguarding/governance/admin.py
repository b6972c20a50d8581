from django.contrib import admin

from safeguarding.governance.models import Group, LawfulBasis


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "quorum_minimum", "quorum_needs_each_statutory_partner"]


@admin.register(LawfulBasis)
class LawfulBasisAdmin(admin.ModelAdmin):
    """The maintained list of lawful bases offered on information sharing agreements."""

    list_display = ["code", "title"]
