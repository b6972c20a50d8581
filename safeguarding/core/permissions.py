"""Who may do what: roles, permissions, and the view markers the server checks.

Every view declares one permission (or ``public``). ``DefaultDenyMiddleware``
refuses any view that declares nothing, so a page added without a decision is a
403, never an accident. Later areas add their permissions to ``ROLE_PERMISSIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeGuard

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from safeguarding.accounts.models import User

# Whoever a page was asked for: ``request.user``, signed in or not. Selectors take this
# and show an anonymous or inactive user nothing.
type RequestUser = User | AnonymousUser


class Role(models.TextChoices):
    BUSINESS_MANAGER = "business_manager", "Partnership business manager"
    ANALYST = "analyst", "Partnership data analyst"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    BOARD_MEMBER = "board_member", "Board member (Lead or Delegated Safeguarding Partner)"
    SCRUTINEER = "scrutineer", "Independent scrutineer"
    TRAINING_COORDINATOR = "training_coordinator", "Training coordinator"
    MASH_PRACTITIONER = "mash_practitioner", "MASH practitioner"
    SCRUTINY_MEMBER = "scrutiny_member", "Scrutiny committee member (published figures only)"
    ADMINISTRATOR = "administrator", "Administrator"


class Perm(StrEnum):
    HOME = "core.home"
    VIEW_PUBLISHED = "core.view_published"
    VIEW_DIRECTORY = "accounts.view_directory"
    MANAGE_DIRECTORY = "accounts.manage_directory"
    VIEW_AUDIT = "core.view_audit"
    MANAGE_API_TOKENS = "accounts.manage_api_tokens"
    MANAGE_USERS = "accounts.manage_users"
    ADMIN_SITE = "core.admin_site"
    VIEW_GOVERNANCE = "governance.view"
    MANAGE_GOVERNANCE = "governance.manage"
    VIEW_GOVERNANCE_FIGURES = "governance.view_figures"
    RECORD_SCRUTINY = "governance.record_scrutiny"
    RESPOND_TO_SCRUTINY = "governance.respond_to_scrutiny"
    UPDATE_OWN_AGENCY_ACTIONS = "governance.update_own_agency_actions"
    BOOK_TRAINING = "training.book"
    MANAGE_TRAINING = "training.manage"
    VIEW_TRAINING_FIGURES = "training.view_figures"
    SUBMIT_RETURNS = "performance.submit_returns"
    SUBMIT_RETURNS_FOR_ANY = "performance.submit_returns_for_any"
    VIEW_PERFORMANCE = "performance.view"
    MANAGE_INDICATORS = "performance.manage_indicators"
    VIEW_UNSUPPRESSED = "performance.view_unsuppressed"
    VIEW_LINKAGE = "children.view_linkage"
    RUN_LINKAGE = "children.run_linkage"
    IMPORT_CHILD_RECORDS = "children.import_records"
    REVIEW_MATCHES = "children.review_matches"
    VIEW_CHILD_RECORDS = "children.view_child_records"
    VIEW_CHILD_ACCESS_LOG = "children.view_child_access_log"
    HANDLE_MOVE_ALERTS = "children.handle_move_alerts"
    VIEW_MOVE_FIGURES = "children.view_move_figures"
    VIEW_REVIEWS = "reviews.view"
    MANAGE_REVIEWS = "reviews.manage"
    ANSWER_SUMMARY_REQUESTS = "reviews.answer_summary_requests"
    VIEW_REVIEW_DECISIONS = "reviews.view_decisions"
    VIEW_REVIEW_FIGURES = "reviews.view_figures"
    VIEW_RECOMMENDATIONS = "reviews.view_recommendations"
    VIEW_BRIEFINGS = "reviews.view_briefings"
    VIEW_REPORT_DRAFTS = "reports.view_drafts"
    EDIT_REPORT = "reports.edit"
    MANAGE_REPORT = "reports.manage"
    VIEW_EVIDENCE_PACK = "reports.view_evidence_pack"


EVERY_ROLE = frozenset(Role)
PARTNERSHIP_STAFF = EVERY_ROLE - {Role.SCRUTINY_MEMBER}

ROLE_PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.HOME: EVERY_ROLE,
    Perm.VIEW_PUBLISHED: EVERY_ROLE,
    Perm.VIEW_DIRECTORY: PARTNERSHIP_STAFF,
    Perm.MANAGE_DIRECTORY: frozenset({Role.BUSINESS_MANAGER, Role.ADMINISTRATOR}),
    Perm.VIEW_AUDIT: frozenset({Role.ADMINISTRATOR}),
    Perm.MANAGE_API_TOKENS: frozenset({Role.ADMINISTRATOR}),
    # Log-ins: adding users, their roles, two-step resets, deactivation (the Users pages).
    Perm.MANAGE_USERS: frozenset({Role.ADMINISTRATOR}),
    Perm.ADMIN_SITE: frozenset({Role.ADMINISTRATOR}),
    Perm.VIEW_GOVERNANCE: frozenset(
        {Role.BUSINESS_MANAGER, Role.ANALYST, Role.AGENCY_LEAD, Role.BOARD_MEMBER, Role.SCRUTINEER, Role.ADMINISTRATOR}
    ),
    Perm.MANAGE_GOVERNANCE: frozenset({Role.BUSINESS_MANAGER}),
    # Councillors read these figures once published (the annual report and evidence pack).
    Perm.VIEW_GOVERNANCE_FIGURES: frozenset(
        {Role.BUSINESS_MANAGER, Role.ANALYST, Role.AGENCY_LEAD, Role.BOARD_MEMBER, Role.SCRUTINEER, Role.ADMINISTRATOR}
    ),
    Perm.RECORD_SCRUTINY: frozenset({Role.SCRUTINEER, Role.BUSINESS_MANAGER}),
    Perm.RESPOND_TO_SCRUTINY: frozenset({Role.BOARD_MEMBER, Role.BUSINESS_MANAGER}),
    # An agency lead records progress and evidence on the actions their own agency owns
    # (a review recommendation's SMART actions among them); the business unit on any.
    Perm.UPDATE_OWN_AGENCY_ACTIONS: frozenset({Role.AGENCY_LEAD}),
    Perm.BOOK_TRAINING: PARTNERSHIP_STAFF,
    Perm.MANAGE_TRAINING: frozenset({Role.TRAINING_COORDINATOR, Role.BUSINESS_MANAGER}),
    Perm.VIEW_TRAINING_FIGURES: frozenset(
        {
            Role.TRAINING_COORDINATOR,
            Role.BUSINESS_MANAGER,
            Role.ANALYST,
            Role.AGENCY_LEAD,
            Role.BOARD_MEMBER,
            Role.SCRUTINEER,
            Role.ADMINISTRATOR,
        }
    ),
    Perm.SUBMIT_RETURNS: frozenset({Role.AGENCY_LEAD, Role.ANALYST}),
    # The partnership's analyst sends a return on behalf of any agency that owes one; an
    # agency lead only for their own organisation.
    Perm.SUBMIT_RETURNS_FOR_ANY: frozenset({Role.ANALYST}),
    Perm.VIEW_PERFORMANCE: frozenset(
        {Role.ANALYST, Role.BUSINESS_MANAGER, Role.AGENCY_LEAD, Role.BOARD_MEMBER, Role.SCRUTINEER, Role.ADMINISTRATOR}
    ),
    Perm.MANAGE_INDICATORS: frozenset({Role.ANALYST}),
    # Small numbers are hidden in anything published; these internal roles see the true figures.
    Perm.VIEW_UNSUPPRESSED: frozenset({Role.ANALYST, Role.BUSINESS_MANAGER, Role.AGENCY_LEAD, Role.BOARD_MEMBER}),
    # Linkage as a whole (counts, model weights, runs): no child's details.
    Perm.VIEW_LINKAGE: frozenset({Role.MASH_PRACTITIONER, Role.ANALYST, Role.BUSINESS_MANAGER, Role.ADMINISTRATOR}),
    Perm.RUN_LINKAGE: frozenset({Role.ANALYST, Role.ADMINISTRATOR}),
    Perm.IMPORT_CHILD_RECORDS: frozenset({Role.MASH_PRACTITIONER, Role.ADMINISTRATOR}),
    Perm.REVIEW_MATCHES: frozenset({Role.MASH_PRACTITIONER}),
    Perm.VIEW_CHILD_RECORDS: frozenset({Role.MASH_PRACTITIONER}),
    # Agency leads see the log only for children their own agency holds records on
    # (selectors.may_see_access_log): the child's responsible agency.
    Perm.VIEW_CHILD_ACCESS_LOG: frozenset({Role.BUSINESS_MANAGER, Role.AGENCY_LEAD, Role.ADMINISTRATOR}),
    Perm.HANDLE_MOVE_ALERTS: frozenset({Role.MASH_PRACTITIONER}),
    # Question 10 as figures: counts of moves and days taken, no child's details.
    Perm.VIEW_MOVE_FIGURES: frozenset(
        {
            Role.ANALYST,
            Role.BUSINESS_MANAGER,
            Role.AGENCY_LEAD,
            Role.BOARD_MEMBER,
            Role.SCRUTINEER,
            Role.MASH_PRACTITIONER,
            Role.ADMINISTRATOR,
        }
    ),
    # Serious incident notifications and rapid reviews, the notified children's details
    # included: the business unit runs them. Child-level, so only for a role that already
    # uses a two-step code.
    Perm.VIEW_REVIEWS: frozenset({Role.BUSINESS_MANAGER}),
    Perm.MANAGE_REVIEWS: frozenset({Role.BUSINESS_MANAGER}),
    # An agency lead sees and answers the requests for their own agency's summary
    # (selectors.summary_requests_for), and the children those requests are about.
    Perm.ANSWER_SUMMARY_REQUESTS: frozenset({Role.AGENCY_LEAD}),
    # The decisions and progress of each review (dates, criteria, outcome, sign-offs, the
    # Panel's reply), never a child's details: so not child-level, and no two-step code.
    # An agency lead sees the reviews that asked their agency (ANSWER_SUMMARY_REQUESTS).
    Perm.VIEW_REVIEW_DECISIONS: frozenset({Role.BUSINESS_MANAGER, Role.BOARD_MEMBER, Role.SCRUTINEER}),
    # The recommendations tracker (no child's details): all of it for the business unit,
    # the Board and the scrutineer; an agency lead their own agency's recommendations.
    Perm.VIEW_RECOMMENDATIONS: frozenset({Role.BUSINESS_MANAGER, Role.AGENCY_LEAD, Role.BOARD_MEMBER, Role.SCRUTINEER}),
    # 7-minute briefings are for every practitioner: all the partnership's staff read and
    # download them (downloads count towards reach by agency).
    Perm.VIEW_BRIEFINGS: PARTNERSHIP_STAFF,
    # Questions 2 and 3 as counts (small numbers suppressed unless VIEW_UNSUPPRESSED);
    # councillors read them once published, in the evidence pack and the report.
    Perm.VIEW_REVIEW_FIGURES: frozenset(
        {Role.BUSINESS_MANAGER, Role.ANALYST, Role.AGENCY_LEAD, Role.BOARD_MEMBER, Role.SCRUTINEER, Role.ADMINISTRATOR}
    ),
    # The annual report: drafts for the partnership's staff and partners to read and
    # comment on; the business unit writes and builds it (the analyst helps), and takes it
    # through review, the Lead Partners' sign-off and publication.
    Perm.VIEW_REPORT_DRAFTS: frozenset(
        {Role.BUSINESS_MANAGER, Role.ANALYST, Role.AGENCY_LEAD, Role.BOARD_MEMBER, Role.SCRUTINEER, Role.ADMINISTRATOR}
    ),
    Perm.EDIT_REPORT: frozenset({Role.BUSINESS_MANAGER, Role.ANALYST}),
    Perm.MANAGE_REPORT: frozenset({Role.BUSINESS_MANAGER}),
    # Published (suppressed) figures only, so councillors too.
    Perm.VIEW_EVIDENCE_PACK: EVERY_ROLE,
}

# Permissions that reach data about individual children (the audit trail records
# child reads, so it counts). A role holding any of them must use two-step verification.
CHILD_LEVEL_PERMISSIONS = frozenset(
    {
        Perm.VIEW_CHILD_RECORDS,
        Perm.VIEW_CHILD_ACCESS_LOG,
        Perm.VIEW_AUDIT,
        Perm.IMPORT_CHILD_RECORDS,
        Perm.REVIEW_MATCHES,
        Perm.HANDLE_MOVE_ALERTS,
        Perm.VIEW_REVIEWS,
        Perm.MANAGE_REVIEWS,
        Perm.ANSWER_SUMMARY_REQUESTS,
    }
)


def roles_with(perm: Perm) -> frozenset[Role]:
    return ROLE_PERMISSIONS.get(perm, frozenset())


def role_sees_child_data(role: str) -> bool:
    return any(role in ROLE_PERMISSIONS[perm] for perm in CHILD_LEVEL_PERMISSIONS)


ROLES_REQUIRING_TWO_FACTOR = frozenset(role for role in Role if role_sees_child_data(role))


def user_roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_sg_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        user._sg_roles = cached
    return cached


def has_perm(user: RequestUser, perm: Perm) -> TypeGuard[User]:
    """Default deny: an unknown permission, an inactive user or no role means no (so a
    yes means a signed-in user, which is what the type says)."""
    return bool(user_roles(user) & ROLE_PERMISSIONS.get(perm, frozenset()))


def requires_two_factor(user: RequestUser) -> bool:
    return bool(user_roles(user) & ROLES_REQUIRING_TWO_FACTOR)


# View markers, read by DefaultDenyMiddleware.
PUBLIC = "public"


def permission_required(perm: Perm) -> Callable:
    def mark(view):
        view.sg_permission = perm
        return view

    return mark


def public(view):
    """A page anyone may open without signing in (log-in, accessibility statement)."""
    view.sg_permission = PUBLIC
    return view
