"""One view of a child, opened with a stated purpose, and the table of who sees what."""

from django.http import Http404
from django.shortcuts import redirect, render

from safeguarding.children import lookup_purpose, reads, selectors
from safeguarding.children.forms import ChildPurposeForm
from safeguarding.core.audit import client_ip
from safeguarding.core.permissions import Perm, permission_required

# The session remembers, per child, the purpose given this session: asked once per
# session and child (or given by the search that found the child), recorded with every look.
SESSION_PURPOSES = "child_purposes"


@permission_required(Perm.VIEW_CHILD_RECORDS)
def child_view(request, reference: str):
    child = selectors.child_by_reference(reference)
    if child is None:
        raise Http404("No child has this ID.")
    if child.reference != reference:
        return redirect("children:child", reference=child.reference)
    purposes = request.session.get(SESSION_PURPOSES, {})
    if "search" in request.GET:
        # Opened from a lookup's results: the search's purpose, if this session made that
        # search and it found this child; anything else asks, as any other way in does.
        from_search = lookup_purpose.purpose_from_search(
            request.session, search_id=request.GET["search"], reference=child.reference
        )
        if from_search:
            purposes[child.reference] = from_search
            request.session[SESSION_PURPOSES] = purposes
        return redirect("children:child", reference=child.reference)
    purpose = purposes.get(child.reference)
    if purpose is None:
        form = ChildPurposeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            purposes[child.reference] = form.purpose_text()
            request.session[SESSION_PURPOSES] = purposes
            return redirect("children:child", reference=child.reference)
        return render(
            request,
            "children/child_purpose.html",
            {"title": "Why are you opening this record?", "form": form, "reference": child.reference},
        )
    seen = reads.child_for_reader(user=request.user, child=child, purpose=purpose, ip_address=client_ip(request))
    return render(
        request,
        "children/child.html",
        {
            "title": f"Child {child.reference}",
            "view": seen.view,
            "purpose": purpose,
            "Part": reads.PARTS,
            "desk": seen.desk,
        },
    )


@permission_required(Perm.HOME)
def access_policy(request):
    """The policy itself, for anyone signed in: who may see which part of a child's record."""
    parts, rows = reads.access_policy_table()
    return render(
        request,
        "children/access_policy.html",
        {"title": "Who sees what of a child's record", "parts": parts, "rows": rows},
    )
