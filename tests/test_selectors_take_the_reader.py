"""Selectors that return data take who reads it (issue 15, item 1): the partnership-wide
figures partner systems read need an active token, and the linkage summary a reader of
the Children page. The unchecked computations are private or named for the report build."""

import datetime as dt

import pytest

from safeguarding.accounts.services import api_token_create, api_token_revoke
from safeguarding.children import selectors as children
from safeguarding.governance import selectors as governance
from safeguarding.reviews import figures as reviews
from safeguarding.training import selectors as training
from tests.conftest import make_persona
from tests.factories import OrganisationFactory

WINDOW = {"date_from": dt.date(2025, 12, 1), "date_to": dt.date(2026, 11, 30)}


@pytest.fixture
def tokens(db):
    admin = make_persona("administrator")
    police = OrganisationFactory(code="police", kind="police", standing="statutory_partner")
    active, _ = api_token_create(organisation=police, name="Police system", actor=admin)
    revoked, _ = api_token_create(organisation=police, name="Old police system", actor=admin)
    api_token_revoke(token=revoked, actor=admin)
    revoked.refresh_from_db()
    return active, revoked


def test_partner_systems_read_the_report_figures_with_an_active_token_only(tokens):
    active, revoked = tokens
    report = governance.governance_answers_for_report(**WINDOW)
    assert governance.governance_answers_for_token(token=active, **WINDOW).as_dict() == report.as_dict()
    assert training.training_summary_for_token(token=active, **WINDOW).as_dict() == (
        training.training_summary_for_report(**WINDOW).as_dict()
    )
    with pytest.raises(PermissionError):
        governance.governance_answers_for_token(token=revoked, **WINDOW)
    with pytest.raises(PermissionError):
        training.training_summary_for_token(token=revoked, **WINDOW)
    assert reviews.reviews_summary_for_token(token=active, **WINDOW).as_dict() == (
        reviews.reviews_summary_for_report(**WINDOW).as_dict()
    )
    with pytest.raises(PermissionError):
        reviews.reviews_summary_for_token(token=revoked, **WINDOW)


def test_the_unchecked_computations_are_not_public_selectors():
    for module in (governance, training, reviews):
        assert not [name for name in vars(module) if name.startswith("compute_")]


@pytest.mark.parametrize(
    "role, allowed",
    [("mash_practitioner", True), ("analyst", True), ("scrutiny_member", False), ("training_coordinator", False)],
)
def test_the_linkage_summary_is_for_readers_of_the_children_page(db, role, allowed):
    reader = make_persona(role)
    if allowed:
        summary = children.linkage_summary(reader)
        assert (summary.records, summary.children) == (0, 0)
    else:
        with pytest.raises(PermissionError):
            children.linkage_summary(reader)
