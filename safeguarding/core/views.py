import csv
import json

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render

from safeguarding.core.attention import attention_for
from safeguarding.core.audit import client_ip, record_event
from safeguarding.core.audit_display import audit_rows, object_type_choices
from safeguarding.core.exports import neutralised
from safeguarding.core.forms import AuditFilterForm
from safeguarding.core.models import AuditEvent
from safeguarding.core.permissions import Perm, permission_required, public
from safeguarding.core.selectors import AuditFilter, audit_events, audit_object_types, undelivered_emails

AUDIT_PAGE_SIZE = 50


@permission_required(Perm.HOME)
def home(request):
    return render(
        request,
        "core/home.html",
        {"title": "Home", "attention": attention_for(request.user)},
    )


@public
def accessibility(request):
    return render(request, "core/accessibility.html", {"title": "Accessibility statement"})


@public
def privacy(request):
    return render(request, "core/privacy.html", {"title": "Privacy notice"})


class _Echo:
    def write(self, value):
        return value


def _audit_filters(request) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None, object_types=object_type_choices(audit_object_types()))
    if form.is_bound and form.is_valid():
        return form, AuditFilter(**form.cleaned_data)
    return form, AuditFilter()


@permission_required(Perm.VIEW_AUDIT)
def audit(request):
    form, filters = _audit_filters(request)
    events = audit_events(user=request.user, filters=filters).select_related("actor")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "title": "Audit trail",
            "form": form,
            "page": page,
            "rows": audit_rows(list(page.object_list), user=request.user),
            "query": query.urlencode(),
        },
    )


@permission_required(Perm.ADMIN_SITE)
def email_failures(request):
    emails = undelivered_emails(user=request.user)
    page = Paginator(emails, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/email_failures.html", {"title": "E-mails not sent", "page": page})


@permission_required(Perm.VIEW_AUDIT)
def audit_csv(request) -> HttpResponse:
    form, filters = _audit_filters(request)
    events = audit_events(user=request.user, filters=filters)
    record_event(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        details={"export": "audit trail", "filters": request.GET.dict()},
        ip_address=client_ip(request),
    )
    columns = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "purpose",
        "changes",
        "ip_address",
    ]
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(columns)
        for event in events.values_list(*columns).iterator(chunk_size=2000):
            changes = json.dumps(event[7], ensure_ascii=False, sort_keys=True) if event[7] else ""
            cells = [event[0].isoformat(), *event[1:7], changes, event[8] or ""]
            yield writer.writerow([neutralised(cell) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response


def error_403(request, exception=None):
    return render(request, "core/403.html", {"title": "You cannot open this page"}, status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        # A partner system gets the API's JSON error, even for a path no route matches.
        return JsonResponse({"detail": "Not found.", "errors": []}, status=404)
    return render(request, "core/404.html", {"title": "Page not found"}, status=404)


def error_500(request):
    return render(request, "core/500.html", {"title": "Sorry, there is a problem"}, status=500)
