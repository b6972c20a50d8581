"""Agency records about children in Northshire and its neighbour Southvale, from the
synthetic generator (families, twins, moves across the boundary, typing errors), linked
into children by a first full run of the linkage model; then the move alerts' story
(``demo/moves.py``)."""

from __future__ import annotations

import datetime
import random

from django.conf import settings

from safeguarding.accounts.models import Area, Organisation
from safeguarding.children import records as record_checks
from safeguarding.children import services
from safeguarding.children.tasks import run_now
from safeguarding.demo.moves import MovesStory, load_moves
from safeguarding.demo.northshire import later_loader
from safeguarding.synthetic.generate import generate
from safeguarding.synthetic.places import AREA_DISTRICTS, BOTH, NORTHSHIRE, SOURCES, SOUTHVALE

AREA_CODES = {NORTHSHIRE: "E06999001", SOUTHVALE: "E06999002"}
# Which demo organisation runs each synthetic agency system.
SOURCE_ORGANISATIONS = {
    "northshire-csc": "northshire-council",
    "southvale-csc": "southvale-council",
    "northshire-schools": "northshire-academies",
    "southvale-schools": "southvale-council",
    "northshire-gp": "ns-icb",
    "southvale-gp": "ns-icb",
    "shirevale-ed": "northshire-hospitals",
    "shirevale-police": "northshire-police",
    "shirevale-hv": "northshire-community-health",
    "shirevale-yjs": "northshire-yjs",
}
# Whom another agency calls about a child each system knows. 01632 960xxx is a range
# Ofcom keeps for drama, so no number here reaches anyone.
CONTACT_TEAMS = {
    "social_care": "Children's Front Door (MASH)",
    "health": "Named nurse for safeguarding children",
    "police": "Public Protection Unit referrals desk",
    "education": "Designated safeguarding lead (via the education safeguarding team)",
    "other": "Youth justice duty officer",
}


def _family_extras(rows: list[dict], today: datetime.date) -> list[dict]:
    """Two records about the first Northshire social care family, for what the demo shows:

    - a pre-birth child protection plan: an unborn child expected in eight weeks at the
      family's address, which the household rule (``children.unborn``) keeps apart from the
      brother or sister already there;
    - the GP's record of that brother or sister, its date of birth typed a decade out and
      its sex code unknown: both cells kept, flagged and not used, and the record still
      linked to the child by name and NHS number.
    """
    family = next(
        (
            r
            for r in rows
            if r["source"] == "northshire-csc"
            and all(r[c] for c in ("postcode", "address", "last_name", "first_name", "date_of_birth", "nhs_number"))
        ),
        None,
    )
    if family is None:
        return []
    blank = {column: "" for column in family}
    unborn = blank | {
        "source": "northshire-csc",
        "record_id": "NCSC-PREBIRTH-1",
        "last_name": family["last_name"],
        "postcode": family["postcode"],
        "address": family["address"],
        "address_from": family["address_from"],
        "involvement": "cp_plan",
        "involvement_from": (today - datetime.timedelta(days=14)).isoformat(),
        "expected_on": (today + datetime.timedelta(weeks=8)).isoformat(),
    }
    mistyped = family | {
        "source": "northshire-gp",
        "record_id": "NGP-FLAGGED-1",
        "date_of_birth": f"{today.year + 10}{family['date_of_birth'][4:]}",
        "sex": "9",
        "involvement": "",
        "involvement_from": "",
        "involvement_to": "",
    }
    return [unborn, mistyped]


@later_loader(order=40)
def load_children(*, rng: random.Random, actor, today: datetime.date) -> MovesStory:
    areas = {key: Area.objects.get(code=code) for key, code in AREA_CODES.items()}
    services.postcode_areas_set(
        prefixes={district: areas[key] for key, districts in AREA_DISTRICTS.items() for district in districts},
        actor=actor,
    )
    organisations = {o.code: o for o in Organisation.objects.filter(code__in=set(SOURCE_ORGANISATIONS.values()))}
    for index, source in enumerate(SOURCES):
        served = list(areas.values()) if source.area == BOTH else [areas[source.area]]
        services.source_register(
            code=source.code,
            name=source.organisation,
            organisation=organisations[SOURCE_ORGANISATIONS[source.code]],
            kind=source.kind,
            areas=served,
            contact={
                "team": CONTACT_TEAMS[source.kind],
                "email": f"safeguarding.{source.code}@shirevale.example",
                "phone": f"01632 960{100 + index:03d}",
            },
            actor=actor,
        )
    data = generate(settings.DEMO_CHILD_RECORDS, seed=2026)
    # A date of birth typed a year out can land in the future: the importer keeps such a
    # record with the cell flagged and not used, as it does for an agency's delivery.
    rows = [*data.rows(), *_family_extras(data.rows(), today)]
    checked = record_checks.check_rows("demo records", rows, known_sources={s.code for s in SOURCES}, today=today)
    services.import_records(checked, actor=actor, origin="demo", file_name="synthetic-records.csv")
    run = services.linkage_run_start(actor=actor, enqueue=False)
    run_now(run)
    return load_moves(actor=actor, today=today)
