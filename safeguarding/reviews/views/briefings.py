"""7-minute briefings: the list with each one's reach, one briefing with its reach by
agency and through the training courses that carry it, its download (counted by the
reader's agency), and publishing one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.accounts.selectors import current_organisation
from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.reviews import learning, selectors
from safeguarding.reviews.forms import BriefingForm, show_refusal


@permission_required(Perm.VIEW_BRIEFINGS)
def briefing_list(request):
    return render(
        request,
        "reviews/briefing_list.html",
        {
            "title": "7-minute briefings",
            "rows": selectors.briefings_for(request.user),
            "manages": has_perm(request.user, Perm.MANAGE_REVIEWS),
        },
    )


def _seen(request, pk: int) -> selectors.BriefingReach:
    seen = selectors.briefing_for(request.user, pk)
    if seen is None:
        raise Http404
    return seen


@permission_required(Perm.VIEW_BRIEFINGS)
def briefing_detail(request, pk: int):
    seen = _seen(request, pk)
    return render(
        request,
        "reviews/briefing.html",
        {"title": seen.briefing.title, "seen": seen, "briefing": seen.briefing},
    )


@permission_required(Perm.VIEW_BRIEFINGS)
def briefing_download(request, pk: int):
    briefing = _seen(request, pk).briefing
    learning.briefing_download_count(briefing=briefing, organisation=current_organisation(request.user))
    return FileResponse(
        briefing.file.open("rb"),
        as_attachment=True,
        filename=(briefing.file.name or "briefing").rsplit("/", 1)[-1],
        content_type=briefing.content_type,
    )


@permission_required(Perm.MANAGE_REVIEWS)
def briefing_create(request):
    form = BriefingForm(request.POST or None, request.FILES or None, initial={"published_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            briefing = learning.briefing_publish(uploaded=data.pop("file"), **data, actor=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Briefing published: its downloads count towards its reach.")
            return redirect("reviews:briefing", pk=briefing.pk)
    return render(request, "core/form_page.html", {"title": "Publish a 7-minute briefing", "form": form})
