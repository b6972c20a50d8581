"""The one shape of every small step page in the reviews area: a form, the service, the
service's refusal shown on the field it names, and back to the record when it is done."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from safeguarding.reviews.forms import show_refusal


def step_page(
    request,
    *,
    form_class: Callable[..., forms.Form],
    title: str,
    lead: str,
    write: Callable[[dict], object],
    done: str,
    back: str,
    initial: dict | None = None,
    aliases: dict[str, str] | None = None,
):
    form = form_class(request.POST or None, request.FILES or None, initial=initial or {})
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            show_refusal(form, error, aliases)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(request, "core/form_page.html", {"title": title, "lead": lead, "form": form})
