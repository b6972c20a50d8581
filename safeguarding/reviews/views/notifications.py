"""Notifications with their rapid reviews, and referrals for consideration."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.core.permissions import Perm, permission_required
from safeguarding.reviews import rules, selectors, services
from safeguarding.reviews.forms import NotificationForm, ReferralForm, show_refusal
from safeguarding.reviews.models import RapidReview

PAGE_SIZE = 30
RUNNING = (RapidReview.Status.OPEN, RapidReview.Status.DECIDED)


@permission_required(Perm.VIEW_REVIEW_DECISIONS)
def notification_list(request):
    notifications = selectors.notifications_for(request.user).order_by("-became_aware_on", "-pk")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for notification in page:
        review = notification.rapid_review
        rows.append(
            {
                "notification": notification,
                "review": review,
                "late": rules.notification_is_late(
                    became_aware_on=notification.became_aware_on, notified_panel_on=notification.notified_panel_on
                ),
                "overdue": review.status in RUNNING and review.due_on < today,
                "sent_late": review.sent_to_panel_on is not None and review.sent_to_panel_on > review.due_on,
            }
        )
    return render(
        request,
        "reviews/notification_list.html",
        {"title": "Serious incidents and rapid reviews", "page": page, "rows": rows},
    )


# A refusal about the children shows on the first child's boxes.
NOTIFICATION_ALIASES = {"children": "child1_reference"}


@permission_required(Perm.MANAGE_REVIEWS)
def notification_create(request):
    form = NotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notification = services.notification_record(**form.service_arguments(), actor=request.user)
        except ValidationError as error:
            show_refusal(form, error, NOTIFICATION_ALIASES)
        else:
            messages.success(request, "Notification recorded and its rapid review opened.")
            return redirect("reviews:review", pk=notification.rapid_review.pk)
    return render(
        request,
        "reviews/notification_form.html",
        {
            "title": "Record a serious incident notification",
            "form": form,
            "slots": range(1, rules.CHILDREN_PER_NOTIFICATION + 1),
        },
    )


@permission_required(Perm.VIEW_REVIEWS)
def referral_list(request):
    page = Paginator(selectors.referrals_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/referral_list.html", {"title": "Referrals for consideration", "page": page})


@permission_required(Perm.MANAGE_REVIEWS)
def referral_create(request):
    form = ReferralForm(request.POST or None, notifications=selectors.notifications_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_record(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Referral recorded.")
            return redirect("reviews:referrals")
    return render(request, "core/form_page.html", {"title": "Record a referral for consideration", "form": form})
