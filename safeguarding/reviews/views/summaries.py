"""An agency lead's page: the summaries their agency has been asked for, and the answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.permissions import Perm, permission_required
from safeguarding.reviews import selectors
from safeguarding.reviews.forms import SummaryReturnForm, show_refusal
from safeguarding.reviews.views.review import children_page, record_return


@permission_required(Perm.ANSWER_SUMMARY_REQUESTS)
def my_requests(request):
    return render(
        request,
        "reviews/my_requests.html",
        {
            "title": "Summaries your agency has been asked for",
            "rows": selectors.summary_requests_for(request.user),
            "organisation": selectors.answering_organisation(request.user),
        },
    )


@permission_required(Perm.ANSWER_SUMMARY_REQUESTS)
def answer(request, pk: int, request_pk: int):
    """The agency lead sends their own agency's summary; another agency's request reads
    as missing."""
    asked = selectors.summary_request_for(request.user, pk, request_pk)
    if asked is None:
        raise Http404
    form = SummaryReturnForm(request.POST or None, request.FILES or None, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record_return(request, asked, form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error, {"organisation": "__all__", "rapid_review": "__all__"})
        else:
            messages.success(request, "Thank you: your agency's summary has been sent to the business unit.")
            return redirect("reviews:my_requests")
    return render(
        request,
        "reviews/answer.html",
        {
            "title": f"{asked.organisation}'s summary for rapid review {asked.rapid_review_id}",
            "lead": f"Asked for on {asked.requested_on:%-d %B %Y}, due {asked.due_on:%-d %B %Y}.",
            "form": form,
            "children_url": reverse("reviews:answer_children", kwargs={"pk": pk, "request_pk": request_pk}),
        },
    )


@permission_required(Perm.ANSWER_SUMMARY_REQUESTS)
def answer_children(request, pk: int, request_pk: int):
    """The children the request is about, so the agency can find its records: only for
    the lead of the agency that was asked, each read recorded with its purpose."""
    asked = selectors.summary_request_for(request.user, pk, request_pk)
    seen = selectors.rapid_review_for(request.user, pk)
    if asked is None or seen is None:
        raise Http404
    return children_page(request, seen, back=reverse("reviews:answer", kwargs={"pk": pk, "request_pk": request_pk}))
