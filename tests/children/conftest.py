import datetime as dt

import pytest

from safeguarding.accounts.models import Area
from safeguarding.children import services
from safeguarding.children.matching import index_cache
from safeguarding.core.audit import SystemActor
from safeguarding.synthetic.generate import generate
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def fresh_index():
    """The candidate index lives for the process; each test starts without one."""
    index_cache.reset()
    yield
    index_cache.reset()


@pytest.fixture
def sources(db):
    """Two areas, their postcode districts, and an agency system in each."""
    north = Area.objects.create(code="E06999001", name="Northshire")
    south = Area.objects.create(code="E06999002", name="Southvale")
    services.postcode_areas_set(prefixes={"NS1": north, "NS2": north, "SV1": south, "SV3 2": south}, actor=SYSTEM)
    council = OrganisationFactory(code="council", kind="local_authority", standing="statutory_partner")
    icb = OrganisationFactory(code="icb", kind="icb", standing="statutory_partner")
    return {
        "csc": services.source_register(
            code="ns-csc",
            name="Northshire social care",
            organisation=council,
            kind="social_care",
            areas=[north],
            actor=SYSTEM,
        ),
        "gp": services.source_register(
            code="sv-gp", name="Southvale GPs", organisation=icb, kind="health", areas=[south], actor=SYSTEM
        ),
        "north": north,
        "south": south,
    }


@pytest.fixture(scope="module")
def linked_once(django_db_setup, django_db_blocker):
    """2,000 synthetic records from every source, imported and linked once for the
    module; each test runs in a savepoint inside it and is rolled back."""
    from django.db import transaction
    from django.test import override_settings

    from safeguarding.accounts.models import Area
    from safeguarding.demo.children import SOURCE_ORGANISATIONS, load_children
    from tests.factories import OrganisationFactory

    with django_db_blocker.unblock(), transaction.atomic():
        Area.objects.create(code="E06999001", name="Northshire")
        Area.objects.create(code="E06999002", name="Southvale")
        for code in set(SOURCE_ORGANISATIONS.values()):
            OrganisationFactory(code=code)
        with override_settings(DEMO_CHILD_RECORDS=2_000):
            load_children(rng=None, actor=SYSTEM, today=TODAY)
        yield generate(2_000, seed=2026)
        transaction.set_rollback(True)


@pytest.fixture
def linked(linked_once, db):
    return linked_once
