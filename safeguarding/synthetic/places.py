"""Fictional places: two neighbouring partnerships, their agency systems, postcodes and addresses.

NS and SV are not real UK postcode areas, so nothing generated here can be a real address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NORTHSHIRE = "northshire"
SOUTHVALE = "southvale"
BOTH = "both"
AREAS = (NORTHSHIRE, SOUTHVALE)

KINDS = ("social_care", "health", "police", "education", "other")


@dataclass(frozen=True, slots=True)
class Source:
    """An agency system that sends records about children."""

    code: str
    organisation: str
    kind: str
    area: str  # "northshire", "southvale" or "both"
    prefix: str  # record_id prefix
    ascii_only: bool = False  # strips diacritics
    stores_middle_names: bool = True
    upper_surname: bool = False
    records_address_from: bool = True


SOURCES: tuple[Source, ...] = (
    Source("northshire-csc", "Northshire County Council Children's Social Care", "social_care", NORTHSHIRE, "NCS"),
    Source(
        "southvale-csc", "Southvale Borough Council Children's Services", "social_care", SOUTHVALE, "SCS",
        ascii_only=True,
    ),
    Source(
        "northshire-schools", "Northshire schools (census returns)", "education", NORTHSHIRE, "NSE",
        stores_middle_names=False,
    ),
    Source(
        "southvale-schools", "Southvale schools (census returns)", "education", SOUTHVALE, "SSE",
        ascii_only=True, stores_middle_names=False,
    ),
    Source("northshire-gp", "Northshire ICB primary care (GP practices)", "health", NORTHSHIRE, "NGP", ascii_only=True),
    Source("southvale-gp", "Southvale ICB primary care (GP practices)", "health", SOUTHVALE, "SGP", ascii_only=True),
    Source(
        "shirevale-ed", "Shire and Vale Hospitals NHS Foundation Trust emergency department", "health", BOTH, "SED",
        records_address_from=False,
    ),
    Source(
        "shirevale-police", "Shire and Vale Police", "police", BOTH, "SVP",
        ascii_only=True, stores_middle_names=False, upper_surname=True, records_address_from=False,
    ),
    Source("shirevale-hv", "Shire and Vale Community Health NHS Trust health visiting", "health", BOTH, "SHV"),
    Source(
        "shirevale-yjs", "Shire and Vale Youth Justice Service", "other", BOTH, "SYJ",
        ascii_only=True, records_address_from=False,
    ),
)  # fmt: skip

SOURCES_BY_CODE: dict[str, Source] = {s.code: s for s in SOURCES}

AREA_DISTRICTS: dict[str, list[str]] = {
    NORTHSHIRE: [f"NS{i}" for i in range(1, 10)],
    SOUTHVALE: [f"SV{i}" for i in range(1, 9)],
}

DISTRICT_TOWNS: dict[str, str] = {
    "NS1": "Northbridge", "NS2": "Northbridge", "NS3": "Northbridge", "NS4": "Kettlewick", "NS5": "Kettlewick",
    "NS6": "Ashby Fell", "NS7": "Thornley Bridge", "NS8": "Wyke End", "NS9": "Harrow Moor",
    "SV1": "Valemouth", "SV2": "Valemouth", "SV3": "Valemouth", "SV4": "Southcombe", "SV5": "Southcombe",
    "SV6": "Brackenford", "SV7": "Lowmoor", "SV8": "Eastvale Cross",
}  # fmt: skip

_STREETS = (
    "Larkspur Heather Beacon Mill Tannery Chapel Foundry Rowan Kestrel Weaver Coldwell Brook Sycamore Quarry "
    "Ingle Moorside Alder Juniper Bracken Gorse Fellside Wharf Lantern Pennine Sparrow Cobble Hawthorn Tenter "
    "Dyehouse Spinner Bobbin Loom Cinder Peat Linnet Curlew Kingfisher Damson Quince Meadowsweet Saltings"
)
STREET_NAMES = tuple(_STREETS.split())
STREET_TYPES = ("Road", "Street", "Close", "Avenue", "Lane", "Way", "Court", "Crescent", "Drive", "Grove", "Terrace")
STREET_ABBREVIATIONS = {
    "Road": "Rd",
    "Street": "St",
    "Close": "Cl",
    "Avenue": "Ave",
    "Lane": "Ln",
    "Court": "Ct",
    "Crescent": "Cres",
    "Drive": "Dr",
    "Grove": "Gr",
    "Terrace": "Terr",
}
BLOCK_NAMES = ("House", "Court", "Heights", "Mill", "Point")

# Inward code letters exclude C, I, K, M, O and V.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

POSTCODE_RE = re.compile(r"^(NS[1-9]|SV[1-8]) ?[0-9][ABD-HJLNP-UW-Z]{2}$")


def postcode_district(postcode: str) -> str:
    """The outward code (district) of a postcode, e.g. "NS4" for "NS4 7QT"."""
    compact = postcode.replace(" ", "").upper()
    return compact[:-3]


def postcode_area(postcode: str) -> str | None:
    """Which partnership a postcode belongs to, or None."""
    district = postcode_district(postcode)
    for area, districts in AREA_DISTRICTS.items():
        if district in districts:
            return area
    return None
