"""A move alert as its reader may see it: the evidence holds addresses, so opening an
alert is a look at the child's record, recorded with the alert's purpose, and only the
rows of systems that share with the reader's agency are shown in detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from safeguarding.children import policy, selectors
from safeguarding.children.models import Involvement, Source
from safeguarding.core.audit import record_child_read
from safeguarding.moves.models import MoveAlert

if TYPE_CHECKING:
    from safeguarding.accounts.models import User
    from safeguarding.moves.services import EvidenceRow


def involvement_text(alert: MoveAlert, *, detailed: bool) -> str:
    if not detailed:
        return "An open involvement"
    return ", ".join(Involvement.Kind(kind).label for kind in alert.involvements)


@dataclass(frozen=True)
class AlertRead:
    involvements: str
    detailed: bool
    evidence: list[EvidenceRow]  # the rows the reader's agency may read in detail
    withheld: list[str]  # the systems whose rows are not shared with it


def alert_for_reader(*, user: User, alert: MoveAlert, ip_address: str | None = None) -> AlertRead:
    """A move alert's evidence as ``user`` may see it. The evidence holds addresses, so
    opening it is a look at the child's record, for the alert's purpose."""
    record_child_read(
        actor=user, instance=alert.child, purpose=f"Handling move alert {alert.pk}", ip_address=ip_address
    )
    scope = selectors.reader_scope(user)  # once: it costs the agreements' queries
    detailed = policy.Part.INVOLVEMENTS in scope.parts
    evidence, withheld = _shared_evidence(alert, scope.partners)
    return AlertRead(involvement_text(alert, detailed=detailed), detailed, evidence, withheld)


def _shared_evidence(alert: MoveAlert, partners: frozenset[int] | None) -> tuple[list[EvidenceRow], list[str]]:
    if partners is None:
        return alert.evidence, []
    organisation_of = dict(Source.objects.values_list("code", "organisation_id"))
    shown: list[EvidenceRow] = []
    withheld: list[str] = []
    row: EvidenceRow
    for row in alert.evidence:
        organisation_id = organisation_of.get(row["record"].partition(":")[0])  # None: a system no longer known
        if organisation_id is not None and policy.may_read(partners, organisation_id):
            shown.append(row)
        else:
            withheld.append(row["source"])
    return shown, sorted(set(withheld))
