"""Who looked at the children an agency answers for: the agency lead's way in, with no
child's ID needed first. Each child links to that child's own log."""

from django.core.paginator import Paginator
from django.shortcuts import render

from safeguarding.children import selectors
from safeguarding.children.forms import ReadsFilterForm
from safeguarding.core.permissions import Perm, Role, permission_required, user_roles

PAGE_SIZE = 50


@permission_required(Perm.VIEW_CHILD_ACCESS_LOG)
def agency_reads(request):
    form = ReadsFilterForm(request.GET or None)
    dates = form.cleaned_data if form.is_bound and form.is_valid() else {}
    reads = selectors.child_reads_seen_by(request.user, date_from=dates.get("date_from"), date_to=dates.get("date_to"))
    page = Paginator(reads, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    every_child = bool(user_roles(request.user) & {Role.BUSINESS_MANAGER, Role.ADMINISTRATOR})
    return render(
        request,
        "children/agency_reads.html",
        {
            "title": "Who looked at your agency's children" if not every_child else "Who looked at children's records",
            "form": form,
            "page": page,
            "rows": selectors.child_read_rows(page.object_list),
            "query": query.urlencode(),
            "organisation": selectors.viewer_organisation(request.user),
            "every_child": every_child,
        },
    )
