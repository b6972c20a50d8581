import datetime as dt
import functools
import json

import pytest
from django.utils import timezone

from safeguarding.accounts.models import Area
from safeguarding.children import services
from safeguarding.children.matching import index_cache
from safeguarding.children.models import ModelVersion
from safeguarding.core.audit import SystemActor
from safeguarding.linkage.engine import LinkageModel, records_table, train_model
from safeguarding.synthetic.generate import generate
from tests.factories import OrganisationFactory

SYSTEM = SystemActor("test")
TODAY = dt.date(2026, 11, 30)


@functools.cache
def _model_trained_on_synthetic_records() -> str:
    rows = [{**row, "unique_id": f"{row['source']}:{row['record_id']}"} for row in generate(3000, seed=11).rows()]
    return train_model(records_table(rows), seed=1).to_json()


def store_a_model_trained_on_synthetic_records() -> None:
    """A model trained on 3,000 synthetic records, made current, for a test world of a
    handful of records: trained on those alone, it would have seen too few levels to weigh
    them (a level nobody saw weighs 0), and the lookup would name nobody. Link with
    ``children link --reuse-model`` after this."""
    model = LinkageModel.from_json(_model_trained_on_synthetic_records())
    ModelVersion.objects.filter(is_current=True).update(is_current=False)
    ModelVersion.objects.create(
        version=f"synthetic-{model.version}",
        trained_at=timezone.now(),
        records_trained_on=3000,
        parameters=json.loads(model.to_json()),
        is_current=True,
    )


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
