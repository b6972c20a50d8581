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
from safeguarding.children.synthetic.generate import generate
from safeguarding.children.synthetic.places import AREA_DISTRICTS, BOTH, NORTHSHIRE, SOURCES, SOUTHVALE
from safeguarding.children.tasks import run_now
from safeguarding.demo.moves import MovesStory, load_moves

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
    # A date of birth typed a year out can land in the future; the importer refuses
    # those (as it would from an agency), so the demo leaves them out.
    rows = [row for row in data.rows() if not row["date_of_birth"] or row["date_of_birth"] <= today.isoformat()]
    checked = record_checks.check_rows("demo records", rows, known_sources={s.code for s in SOURCES}, today=today)
    services.import_records(checked, actor=actor, origin="demo", file_name="synthetic-records.csv")
    run = services.linkage_run_start(actor=actor, enqueue=False)
    run_now(run)
    return load_moves(actor=actor, today=today)
