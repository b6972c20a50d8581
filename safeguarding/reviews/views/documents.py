"""Uploaded documents about the children (agencies' summaries, CSPR drafts and final
reports, notifications' attachments): each opened only after the reader says why, the
read recorded (``reads.document_for_reader``); and attaching a document to a notification."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from safeguarding.core.audit import client_ip
from safeguarding.core.permissions import Perm, permission_required
from safeguarding.reviews import reads, services
from safeguarding.reviews.forms import AttachmentForm, PurposeForm, show_refusal
from safeguarding.reviews.views.review import seen_or_404


@permission_required(Perm.VIEW_REVIEWS)
def document(request, kind: str, pk: int):
    if kind not in reads.DOCUMENT_KINDS:
        raise Http404
    form = PurposeForm(request.POST or None)
    form.fields["purpose"].label = "Why are you opening this document?"
    if request.method == "POST" and form.is_valid():
        found = reads.document_for_reader(
            user=request.user, kind=kind, pk=pk, purpose=form.cleaned_data["purpose"], ip_address=client_ip(request)
        )
        if found is None:
            raise Http404
        return FileResponse(
            found.file.open("rb"), as_attachment=True, filename=found.file_name, content_type=found.content_type
        )
    return render(
        request,
        "core/form_page.html",
        {
            "title": "Open a document",
            "lead": "It is about the children: your reason is recorded with your name.",
            "form": form,
            "submit_label": "Download the document",
        },
    )


@permission_required(Perm.MANAGE_REVIEWS)
def attach(request, pk: int):
    seen = seen_or_404(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_attach(
                notification=seen.notification,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Document attached to the notification.")
            return redirect("reviews:review", pk=pk)
    return render(request, "core/form_page.html", {"title": "Attach a document to the notification", "form": form})
