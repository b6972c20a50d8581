import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from safeguarding.accounts.models import Person
from safeguarding.accounts.selectors import person_choices
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.governance import rules, selectors, services
from safeguarding.governance.forms import MeetingForm, MembershipForm, MinutesForm, PaperForm, RegisterRowForm
from safeguarding.governance.models import Attendance

MEETINGS_PAGE_SIZE = 30


@permission_required(Perm.VIEW_GOVERNANCE)
def overview(request):
    today = datetime.date.today()
    user = request.user
    upcoming = selectors.meetings(user=user).filter(date__gte=today).order_by("date")[:5]
    recent = selectors.meetings(user=user).filter(date__lt=today).order_by("-date")[:5]
    overdue = selectors.actions(user=user, open_only=True).filter(due_on__lt=today, is_decision=False)
    agreements_due = selectors.agreements(user=user).filter(review_due_on__lt=today)
    return render(
        request,
        "governance/overview.html",
        {
            "title": "Governance",
            "groups": selectors.groups(user=user),
            "upcoming": upcoming,
            "recent": recent,
            "overdue_count": overdue.count(),
            "agreements_due": agreements_due,
        },
    )


@permission_required(Perm.VIEW_GOVERNANCE)
def group_detail(request, code: str):
    group = get_object_or_404(selectors.groups(user=request.user), code=code)
    today = datetime.date.today()
    members = group.memberships.select_related("person", "organisation").order_by(
        "ended_on", "organisation__name", "person__full_name"
    )
    return render(
        request,
        "governance/group_detail.html",
        {
            "title": group.name,
            "group": group,
            "members": members,
            "today": today,
            "meetings": selectors.meetings(user=request.user, group=group).order_by("-date")[:12],
        },
    )


@permission_required(Perm.MANAGE_GOVERNANCE)
def membership_add(request, code: str):
    group = get_object_or_404(selectors.groups(user=request.user), code=code)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(group=group, **form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{form.cleaned_data['person']} added to {group.name}.")
            return redirect("governance:group", code=group.code)
    return render(request, "core/form_page.html", {"title": f"Add a member to {group.name}", "form": form})


@permission_required(Perm.VIEW_GOVERNANCE)
def meeting_list(request):
    group_code = request.GET.get("group", "")
    meetings = selectors.meetings(user=request.user).order_by("-date")
    if group_code:
        meetings = meetings.filter(group__code=group_code)
    page = Paginator(meetings, MEETINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/meeting_list.html",
        {"title": "Meetings", "page": page, "groups": selectors.groups(user=request.user), "group_code": group_code},
    )


@permission_required(Perm.MANAGE_GOVERNANCE)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"group": request.GET.get("group")})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "agenda"}
        try:
            meeting = services.meeting_create(**data, agenda=form.agenda_items(), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Meeting added. Take the register when it has been held.")
            return redirect("governance:meeting", pk=meeting.pk)
    return render(request, "core/form_page.html", {"title": "Add a meeting", "form": form})


@permission_required(Perm.VIEW_GOVERNANCE)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(selectors.meetings(user=request.user), pk=pk)
    register = meeting.attendance.select_related("person", "organisation", "deputy").order_by(
        "organisation__name", "person__full_name"
    )
    rows = [
        {
            "entry": entry,
            "below_expected": rules.deputy_below_expected(
                deputy_seniority=entry.deputy_seniority, expected_seniority=entry.expected_seniority
            ),
        }
        for entry in register
    ]
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "title": str(meeting),
            "meeting": meeting,
            "register": rows,
            "papers": meeting.papers.all(),
            "actions": meeting.actions.select_related("owner_organisation").all(),
            "agenda": meeting.agenda_items.all(),
        },
    )


@permission_required(Perm.MANAGE_GOVERNANCE)
def meeting_register(request, pk: int):
    """The register: one line per member in post on the day, usable by keyboard alone."""
    meeting = get_object_or_404(selectors.meetings(user=request.user), pk=pk)
    members = list(services.members_expected(meeting))
    existing = {a.person_id: a for a in meeting.attendance.all()}
    people = Person.objects.order_by("full_name")
    forms = []
    for index, member in enumerate(members):
        earlier = existing.get(member.person_id)
        initial = {"status": earlier.status, "deputy": earlier.deputy_id} if earlier else {}
        forms.append(
            RegisterRowForm(request.POST or None, prefix=f"m{index}", member=member, people=people, initial=initial)
        )
    if request.method == "POST" and all(form.is_valid() for form in forms):
        entries = [
            services.RegisterEntry(
                person=form.member.person, status=form.cleaned_data["status"], deputy=form.cleaned_data["deputy"]
            )
            for form in forms
        ]
        services.meeting_record_attendance(meeting=meeting, entries=entries, actor=request.user)
        messages.success(request, "Register saved." + ("" if meeting.quorate else " The meeting was not quorate."))
        return redirect("governance:meeting", pk=meeting.pk)
    errors = [
        {"text": str(error), "href": f"#{form[name].auto_id}"}
        for form in forms
        for name, field_errors in form.errors.items()
        for error in field_errors
    ]
    return render(
        request,
        "governance/register.html",
        {
            "title": f"Register: {meeting}",
            "meeting": meeting,
            "forms": forms,
            "errors": errors,
            "statuses": Attendance.Status.choices,
            # A deputy usually comes from the member's own organisation: the template
            # offers those first, each person with their post on the day.
            "people": person_choices(on=meeting.date),
        },
    )


@permission_required(Perm.MANAGE_GOVERNANCE)
def meeting_minutes(request, pk: int):
    meeting = get_object_or_404(selectors.meetings(user=request.user), pk=pk)
    form = MinutesForm(
        request.POST or None, initial={"mode": meeting.mode, "venue": meeting.venue, "minutes": meeting.minutes}
    )
    if request.method == "POST" and form.is_valid():
        services.meeting_update(meeting=meeting, **form.cleaned_data, actor=request.user)
        messages.success(request, "Minutes saved.")
        return redirect("governance:meeting", pk=meeting.pk)
    return render(request, "core/form_page.html", {"title": f"Minutes: {meeting}", "form": form})


@permission_required(Perm.MANAGE_GOVERNANCE)
def paper_add(request, pk: int):
    meeting = get_object_or_404(selectors.meetings(user=request.user), pk=pk)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_add_paper(
                meeting=meeting,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "Paper added.")
            return redirect("governance:meeting", pk=meeting.pk)
    return render(request, "core/form_page.html", {"title": f"Add a paper to {meeting}", "form": form})


@permission_required(Perm.VIEW_GOVERNANCE)
def paper_download(request, pk: int, paper_pk: int):
    meeting = get_object_or_404(selectors.meetings(user=request.user), pk=pk)
    paper = meeting.papers.filter(pk=paper_pk).first()
    if paper is None or not paper.file:
        raise Http404
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=paper.file.name.rsplit("/", 1)[-1],
        content_type=paper.content_type,
    )
