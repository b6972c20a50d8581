"""Which themes recur across the partnership's reviews, year by year."""

from django.http import Http404
from django.shortcuts import render

from safeguarding.core.permissions import Perm, permission_required
from safeguarding.reviews import selectors


@permission_required(Perm.VIEW_REVIEW_DECISIONS)
def theme_table(request):
    table = selectors.themes_by_year(request.user)
    if table is None:
        raise Http404
    return render(request, "reviews/themes.html", {"title": "Themes across the reviews", "table": table})
