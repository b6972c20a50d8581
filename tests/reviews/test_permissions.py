"""The reviews permissions: child-level ones only for roles that already use a two-step
code, so adding them changed no one's sign-in; councillors hold none of them."""

from safeguarding.core.permissions import (
    CHILD_LEVEL_PERMISSIONS,
    ROLES_REQUIRING_TWO_FACTOR,
    Perm,
    Role,
    roles_with,
)

REVIEW_PERMS = {p for p in Perm if p.value.startswith("reviews.")}
CHILD_LEVEL_REVIEW_PERMS = {Perm.VIEW_REVIEWS, Perm.MANAGE_REVIEWS, Perm.ANSWER_SUMMARY_REQUESTS}


def test_the_roles_needing_a_two_step_code_are_the_same_as_before_reviews():
    before = {Role.BUSINESS_MANAGER, Role.AGENCY_LEAD, Role.MASH_PRACTITIONER, Role.ADMINISTRATOR}
    assert before == ROLES_REQUIRING_TWO_FACTOR


def test_review_records_are_child_level_and_held_only_by_two_step_roles():
    assert REVIEW_PERMS & CHILD_LEVEL_PERMISSIONS == CHILD_LEVEL_REVIEW_PERMS
    for perm in CHILD_LEVEL_REVIEW_PERMS:
        assert roles_with(perm) <= ROLES_REQUIRING_TWO_FACTOR, perm


def test_who_does_what():
    assert roles_with(Perm.MANAGE_REVIEWS) == {Role.BUSINESS_MANAGER}
    assert roles_with(Perm.ANSWER_SUMMARY_REQUESTS) == {Role.AGENCY_LEAD}
    assert {Role.BOARD_MEMBER, Role.SCRUTINEER} <= roles_with(Perm.VIEW_REVIEW_DECISIONS)
    assert Role.SCRUTINY_MEMBER not in set().union(*(roles_with(p) for p in REVIEW_PERMS))
