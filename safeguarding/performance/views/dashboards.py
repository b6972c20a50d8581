"""The partnership overview, a dashboard per priority, each indicator's page, the
published figures, and their downloads. Who may see true (unsuppressed) figures is
decided here, on the server, for every page and download."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from safeguarding.accounts.selectors import current_organisation
from safeguarding.core.exports import audited_download, csv_response, xlsx_response
from safeguarding.core.permissions import Perm, has_perm, permission_required, public
from safeguarding.performance import presentation, selectors
from safeguarding.performance.figures import Selection
from safeguarding.performance.forms import SelectionForm
from safeguarding.performance.models import Indicator


def _selection(request, *, force_published: bool = False) -> tuple[SelectionForm, Selection]:
    """The filters from the query string. Anyone without the right to true figures,
    and every public page, gets the published (suppressed) figures whatever they ask."""
    may_see_true = has_perm(request.user, Perm.VIEW_UNSUPPRESSED) and not force_published
    data = request.GET.copy()
    data.setdefault("view", "true")
    form = SelectionForm(data, may_see_true_figures=may_see_true)
    data = form.cleaned_data if form.is_valid() else {}
    published = not may_see_true or data.get("view") == "published"
    selection = Selection(area=data.get("area"), breakdown=data.get("breakdown") or "", published=published)
    return form, selection


def _context(request, form, selection, all_figures, **extra):
    return {
        "form": form,
        "selection": selection,
        "caption": presentation.selection_caption(selection),
        "figures": all_figures,
        "query": request.GET.urlencode(),
        "value_text": presentation.value_text,
        "change_text": presentation.change_text,
        "texts": presentation.figure_texts,
        "period_text": presentation.period_text,
        "p_text": presentation.p_text,
        "threshold": selection.threshold,
        **extra,
    }


@permission_required(Perm.VIEW_PERFORMANCE)
def overview(request):
    """The partnership overview: who sent their returns, and every indicator's latest
    figure, rate, changes and verdict."""
    grid = selectors.return_grid(today=datetime.date.today(), quarters=6, own=current_organisation(request.user))
    form, selection = _selection(request)
    all_figures = selectors.indicator_figures(
        user=request.user, indicators=Indicator.objects.filter(is_active=True).order_by("title"), selection=selection
    )
    return render(
        request,
        "performance/overview.html",
        _context(
            request,
            form,
            selection,
            all_figures,
            title="Multi-agency data",
            grid=grid,
            priorities=selectors.priorities_with_indicators(user=request.user),
        ),
    )


@permission_required(Perm.VIEW_PERFORMANCE)
def priority_dashboard(request, code: str):
    priority = get_object_or_404(selectors.priorities_with_indicators(user=request.user), code=code)
    form, selection = _selection(request)
    all_figures = selectors.indicator_figures(
        user=request.user, indicators=priority.indicators.filter(is_active=True).order_by("title"), selection=selection
    )
    charts = {f.indicator.code: presentation.run_chart(f) for f in all_figures}
    return render(
        request,
        "performance/priority.html",
        _context(request, form, selection, all_figures, title=priority.title, priority=priority, charts=charts),
    )


@permission_required(Perm.VIEW_PERFORMANCE)
def indicator_detail(request, code: str):
    indicator = get_object_or_404(Indicator, code=code)
    form, selection = _selection(request)
    (figures,) = selectors.indicator_figures(user=request.user, indicators=[indicator], selection=selection)
    return render(
        request,
        "performance/indicator.html",
        _context(
            request,
            form,
            selection,
            [figures],
            title=indicator.title,
            f=figures,
            chart=presentation.run_chart(figures),
            may_edit=has_perm(request.user, Perm.MANAGE_INDICATORS),
        ),
    )


@permission_required(Perm.VIEW_PERFORMANCE)
def download(request, fmt: str):
    """The figures of the overview, or of one priority's dashboard, as CSV or XLSX;
    suppressed unless the user may see true figures and asked for them."""
    form, selection = _selection(request)
    indicators = Indicator.objects.filter(is_active=True).order_by("title")
    name = "partnership-figures"
    priority_code = request.GET.get("priority")
    if priority_code:
        priority = get_object_or_404(selectors.priorities_with_indicators(user=request.user), code=priority_code)
        indicators = indicators.filter(priority=priority)
        name = f"{priority.code}-figures"
    figures = selectors.indicator_figures(user=request.user, indicators=indicators, selection=selection)
    tables = presentation.download_tables(figures, selection)
    label = "Performance figures, " + ("published" if selection.published else "true figures")
    return audited_download(request, name=name, tables=tables, fmt=_format(fmt), label=label)


@public
def published(request):
    """The figures the partnership publishes, for anyone, signed in or not: publishable
    indicators only, aggregate counts and rates with small numbers always hidden, no
    child's or person's details (councillors and the public read this page)."""
    form, selection = _selection(request, force_published=True)
    all_figures = selectors.indicator_figures(
        user=request.user, indicators=Indicator.objects.filter(is_active=True, publishable=True), selection=selection
    )
    return render(
        request,
        "performance/published.html",
        _context(request, form, selection, all_figures, title="Published figures"),
    )


@public
def published_download(request, fmt: str):
    """The published figures as a file. A signed-in user's download is recorded like any
    other; a visitor's is not (the figures are public, and there is nobody to name)."""
    fmt = _format(fmt)
    form, selection = _selection(request, force_published=True)
    all_figures = selectors.indicator_figures(
        user=request.user, indicators=Indicator.objects.filter(is_active=True, publishable=True), selection=selection
    )
    tables = presentation.download_tables(all_figures, selection)
    if not request.user.is_authenticated:
        return (csv_response if fmt == "csv" else xlsx_response)("published-figures", tables)
    return audited_download(
        request, name="published-figures", tables=tables, fmt=_format(fmt), label="Published performance figures"
    )


def _format(fmt: str) -> str:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return fmt
