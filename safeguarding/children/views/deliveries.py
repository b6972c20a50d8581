"""Deliveries of records: one delivery's answer (what was stored, which cells were
flagged) and each source's quality over time."""

from django.http import Http404
from django.shortcuts import render

from safeguarding.children import quality
from safeguarding.core.permissions import Perm, permission_required


@permission_required(Perm.IMPORT_CHILD_RECORDS)
def delivery(request, pk: int):
    found = quality.delivery_for(request.user, pk)
    if found is None:
        raise Http404("No such delivery.")
    return render(
        request,
        "children/delivery.html",
        {"title": f"Delivery: {found.batch.file_name or found.batch.get_origin_display()}", "delivery": found},
    )


@permission_required(Perm.VIEW_LINKAGE)
def source_quality(request):
    return render(
        request,
        "children/source_quality.html",
        {
            "title": "The quality of each source's records",
            "sources": quality.source_quality(),
            "columns": quality.flag_columns(),
        },
    )
