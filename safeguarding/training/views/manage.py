"""Pages for the training coordinator: courses, sessions, bookings and the register,
e-learning imports and workforce figures."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.core.permissions import Perm, permission_required
from safeguarding.training import elearning, selectors, services
from safeguarding.training.forms import CourseForm, ElearningImportForm, SessionForm, WorkforceForm
from safeguarding.training.models import Booking, Workforce
from safeguarding.training.views.public import _certificate_response

SESSIONS_PAGE_SIZE = 30


@permission_required(Perm.MANAGE_TRAINING)
def sessions(request):
    show = request.GET.get("show", "upcoming")
    now = timezone.now()
    result = selectors.sessions_for_coordinator(user=request.user)
    result = (
        result.filter(starts_at__gte=now).order_by("starts_at")
        if show == "upcoming"
        else result.filter(starts_at__lt=now).order_by("-starts_at")
    )
    page = Paginator(result, SESSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/manage_sessions.html", {"title": "Training sessions", "page": page, "show": show})


@permission_required(Perm.MANAGE_TRAINING)
def course_create(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "outcomes"}
        try:
            course = services.course_create(**data, outcomes=form.outcome_lines(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{course.title} added to the catalogue.")
            return redirect("training:course", code=course.code)
    return render(request, "core/form_page.html", {"title": "Add a course", "form": form})


@permission_required(Perm.MANAGE_TRAINING)
def session_create(request):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        session = services.session_create(
            course=data["course"],
            starts_at=datetime.datetime.combine(data["date"], data["starts_at"], tzinfo=tz),
            ends_at=datetime.datetime.combine(data["date"], data["ends_at"], tzinfo=tz),
            capacity=data["capacity"],
            booking_deadline=data["booking_deadline"],
            venue=data["venue"],
            online_link=data["online_link"],
            trainer=data["trainer"],
            actor=request.user,
        )
        messages.success(request, "Session added and open for booking.")
        return redirect("training:session", pk=session.pk)
    return render(request, "core/form_page.html", {"title": "Add a session", "form": form})


@permission_required(Perm.MANAGE_TRAINING)
def session_detail(request, pk: int):
    session = get_object_or_404(selectors.sessions_for_coordinator(user=request.user), pk=pk)
    bookings = session.bookings.select_related("organisation").order_by("status", "booked_at", "id")
    return render(
        request, "training/session_detail.html", {"title": str(session), "session": session, "bookings": bookings}
    )


@permission_required(Perm.MANAGE_TRAINING)
@require_POST
def session_cancel(request, pk: int):
    session = get_object_or_404(selectors.sessions_for_coordinator(user=request.user), pk=pk)
    services.session_cancel(session=session, actor=request.user)
    messages.success(request, "Session cancelled; everyone booked has been told.")
    return redirect("training:session", pk=session.pk)


@permission_required(Perm.MANAGE_TRAINING)
@require_POST
def booking_cancel(request, pk: int, booking_pk: int):
    session = get_object_or_404(selectors.sessions_for_coordinator(user=request.user), pk=pk)
    booking = get_object_or_404(session.bookings, pk=booking_pk)
    try:
        promoted = services.booking_cancel(booking=booking, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training:session", pk=session.pk)
    messages.success(
        request,
        f"{booking.full_name}'s booking cancelled."
        + (f" {promoted.full_name} moved up from the waiting list." if promoted else ""),
    )
    return redirect("training:session", pk=session.pk)


@permission_required(Perm.MANAGE_TRAINING)
def session_register(request, pk: int):
    session = get_object_or_404(selectors.sessions_for_coordinator(user=request.user), pk=pk)
    places = list(
        session.bookings.filter(status=Booking.Status.CONFIRMED).select_related("organisation").order_by("full_name")
    )
    errors = []
    if request.method == "POST":
        outcomes = {}
        for booking in places:
            value = request.POST.get(f"outcome-{booking.pk}", "")
            if value not in Booking.Outcome.values:
                errors.append(
                    {"text": f"Choose whether {booking.full_name} attended", "href": f"#outcome-{booking.pk}-attended"}
                )
            outcomes[booking.pk] = value
        if not errors:
            services.session_record_register(session=session, outcomes=outcomes, actor=request.user)
            messages.success(request, "Register saved. Those who attended have been sent the evaluation.")
            return redirect("training:session", pk=session.pk)
    return render(
        request,
        "training/register.html",
        {
            "title": f"Register: {session}",
            "session": session,
            "places": places,
            "errors": errors,
            "choices": Booking.Outcome.choices,
            "posted": request.POST,
        },
    )


@permission_required(Perm.MANAGE_TRAINING)
def booking_certificate(request, pk: int, booking_pk: int):
    session = get_object_or_404(selectors.sessions_for_coordinator(user=request.user), pk=pk)
    booking = get_object_or_404(session.bookings, pk=booking_pk, outcome=Booking.Outcome.ATTENDED)
    return _certificate_response(booking)


@permission_required(Perm.MANAGE_TRAINING)
def elearning_import(request):
    form = ElearningImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = elearning.import_completions(
                data=upload.read(), filename=upload.name, platform="learning-platform", actor=request.user
            )
        except elearning.CompletionsImportError as error:
            errors = error.errors
        else:
            messages.success(
                request, f"{upload.name}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged."
            )
            return redirect("training:elearning_import")
    return render(
        request,
        "training/elearning_import.html",
        {
            "title": "Import e-learning completions",
            "form": form,
            "errors": errors,
            "required": elearning.REQUIRED,
            "optional": elearning.OPTIONAL,
        },
    )


@permission_required(Perm.MANAGE_TRAINING)
def workforce(request):
    form = WorkforceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.workforce_set(**form.cleaned_data, actor=request.user)
        messages.success(request, "Workforce figure saved.")
        return redirect("training:workforce")
    rows = Workforce.objects.select_related("organisation").order_by("-year", "organisation__name")
    return render(request, "training/workforce.html", {"title": "Workforce", "form": form, "rows": rows})
