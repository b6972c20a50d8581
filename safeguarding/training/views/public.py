"""Pages practitioners use: the course catalogue, booking (with or without an
account), confirming and cancelling by e-mailed link, evaluation, certificate and
the three-month follow-up. Links carry a token whose hash is on the booking."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.core.audit import SystemActor
from safeguarding.core.hashing import hash_token
from safeguarding.core.permissions import Perm, has_perm, public
from safeguarding.training import certificates, selectors, services
from safeguarding.training.forms import BookingForm, EvaluationForm, FollowUpForm
from safeguarding.training.models import Booking, Session, Topic

PRACTITIONER = SystemActor("practitioner using an e-mailed link")


def _booking_by_token(token: str) -> Booking:
    booking = (
        Booking.objects.select_related("session__course", "organisation").filter(token_hash=hash_token(token)).first()
    )
    if booking is None:
        raise Http404("This link is not valid or has been replaced by a newer one.")
    return booking


@public
def catalogue(request):
    topic_code = request.GET.get("topic", "")
    courses = selectors.courses()
    if topic_code:
        courses = courses.filter(topics__code=topic_code)
    return render(
        request,
        "training/catalogue.html",
        {
            "title": "Multi-agency training",
            "courses": courses.distinct(),
            "topics": Topic.objects.all(),
            "topic_code": topic_code,
        },
    )


@public
def course_detail(request, code: str):
    course = get_object_or_404(selectors.courses(), code=code)
    sessions = selectors.sessions_open_for_booking(course=course, today=timezone.localdate())
    return render(
        request,
        "training/course_detail.html",
        {
            "title": course.title,
            "course": course,
            "sessions": sessions,
            "outcomes": course.outcomes.all(),
        },
    )


def _staff_initial(user) -> dict:
    person = getattr(user, "person", None)
    if person is None:
        return {}
    post = person.posts.filter(ended_on__isnull=True).select_related("organisation").first()
    return {
        "full_name": person.full_name,
        "email": person.email or user.email,
        "organisation": post.organisation if post else None,
        "job_role": post.job_title if post else "",
    }


@public
def book(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    signed_in_staff = request.user.is_authenticated and has_perm(request.user, Perm.BOOK_TRAINING)
    form = BookingForm(request.POST or None, initial=_staff_initial(request.user) if signed_in_staff else None)
    if request.method == "POST" and form.is_valid():
        try:
            if signed_in_staff:
                booking, _ = services.booking_create_by_staff(session=session, **form.cleaned_data, actor=request.user)
            else:
                booking, _ = services.booking_create(
                    session=session, **form.cleaned_data, email_confirmed=False, actor=PRACTITIONER
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            return render(request, "training/booked.html", {"title": "Booking received", "booking": booking})
    return render(
        request,
        "training/book.html",
        {
            "title": f"Book: {session.course.title}",
            "session": session,
            "form": form,
            "signed_in_staff": signed_in_staff,
        },
    )


@public
def booking_confirm(request, token: str):
    booking = _booking_by_token(token)
    if request.method == "POST":
        try:
            booking = services.booking_confirm_email(booking=booking, actor=PRACTITIONER)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("training:catalogue")
        return render(request, "training/booked.html", {"title": "Booking confirmed", "booking": booking})
    return render(request, "training/confirm.html", {"title": "Confirm your booking", "booking": booking})


@public
def booking_manage(request, token: str):
    booking = _booking_by_token(token)
    return render(
        request, "training/manage_booking.html", {"title": "Your booking", "booking": booking, "token": token}
    )


@public
@require_POST
def booking_cancel(request, token: str):
    booking = _booking_by_token(token)
    try:
        services.booking_cancel(booking=booking, actor=PRACTITIONER)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your booking is cancelled. Thank you for letting us know.")
    return redirect("training:booking_manage", token=token)


@public
def feedback(request, token: str):
    booking = _booking_by_token(token)
    if booking.outcome != Booking.Outcome.ATTENDED:
        raise Http404
    done = hasattr(booking, "evaluation")
    form = None if done else EvaluationForm(request.POST or None, outcomes=booking.session.course.outcomes.all())
    if form is not None and request.method == "POST" and form.is_valid():
        services.evaluation_submit(
            booking=booking, answers=form.answers(), comments=form.cleaned_data["comments"], actor=PRACTITIONER
        )
        messages.success(request, "Thank you: your evaluation is saved.")
        return redirect("training:feedback", token=token)
    return render(
        request,
        "training/feedback.html",
        {"title": "How useful was the training?", "booking": booking, "form": form, "token": token},
    )


@public
def certificate_by_token(request, token: str):
    booking = _booking_by_token(token)
    if booking.outcome != Booking.Outcome.ATTENDED:
        raise Http404
    return _certificate_response(booking)


def _certificate_response(booking) -> HttpResponse:
    response = HttpResponse(certificates.certificate_pdf(booking), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{booking.session.course.code}.pdf"'
    return response


@public
def follow_up(request, token: str):
    booking = _booking_by_token(token)
    if booking.outcome != Booking.Outcome.ATTENDED:
        raise Http404
    done = hasattr(booking, "follow_up")
    form = None if done else FollowUpForm(request.POST or None)
    if form is not None and request.method == "POST" and form.is_valid():
        services.follow_up_submit(booking=booking, **form.cleaned_data, actor=PRACTITIONER)
        messages.success(request, "Thank you: your answer is saved.")
        return redirect("training:follow_up", token=token)
    return render(
        request,
        "training/follow_up.html",
        {"title": "Has the training changed your practice?", "booking": booking, "form": form},
    )
