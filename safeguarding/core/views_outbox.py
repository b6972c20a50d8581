"""The demo's Sent e-mails page (``core.demo_outbox``): there only while the outbox is on."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.html import linebreaks, urlize

from safeguarding.core import demo_outbox
from safeguarding.core.permissions import Perm, permission_required

SENT_EMAILS_PAGE_SIZE = 50


@permission_required(Perm.ADMIN_SITE)
def sent_emails(request):
    if not demo_outbox.enabled():
        raise Http404("The demo outbox is off.")
    message_id = request.GET.get("message")
    if message_id is not None:
        message = demo_outbox.sent_email(message_id)
        if message is None:
            raise Http404("No such e-mail.")
        # urlize escapes the text and makes the links (the booking confirmation's) followable.
        body = linebreaks(urlize(message.body, autoescape=True)).replace("<a href=", '<a class="govuk-link" href=')
        return render(
            request,
            "core/sent_email.html",
            {"title": message.subject or "Sent e-mail", "message": message, "body": body},
        )
    page = Paginator(demo_outbox.sent_email_ids(), SENT_EMAILS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/sent_emails.html",
        {"title": "Sent e-mails", "page": page, "emails": demo_outbox.sent_emails(list(page.object_list))},
    )
