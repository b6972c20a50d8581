"""The analyst's pages: the indicator catalogue and child populations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from safeguarding.core.permissions import Perm, has_perm, permission_required
from safeguarding.performance import selectors, services
from safeguarding.performance.forms import IndicatorForm, PopulationForm
from safeguarding.performance.models import Indicator


@permission_required(Perm.VIEW_PERFORMANCE)
def catalogue(request):
    indicators = Indicator.objects.select_related("priority").order_by("-is_active", "title")
    return render(request, "performance/catalogue.html", {"title": "Indicator catalogue", "indicators": indicators})


@permission_required(Perm.MANAGE_INDICATORS)
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{indicator.title} added to the catalogue.")
            return redirect("performance:indicator", code=indicator.code)
    return render(request, "core/form_page.html", {"title": "Add an indicator", "form": form})


@permission_required(Perm.MANAGE_INDICATORS)
def indicator_edit(request, code: str):
    indicator = get_object_or_404(Indicator, code=code)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "code"}
        # The form has already set the values on the instance; reload so the audit sees the change.
        indicator.refresh_from_db()
        try:
            services.indicator_update(indicator=indicator, **fields, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{indicator.title} saved.")
            return redirect("performance:indicator", code=indicator.code)
    return render(request, "core/form_page.html", {"title": f"Edit {indicator.title}", "form": form})


@permission_required(Perm.VIEW_PERFORMANCE)
def populations(request):
    form = None
    if has_perm(request.user, Perm.MANAGE_INDICATORS):
        form = PopulationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            population = services.population_set(**form.cleaned_data, actor=request.user)
            messages.success(request, f"{population.area.name} {population.year}: {population.children:,} children.")
            return redirect("performance:populations")
    elif request.method == "POST":
        raise PermissionDenied
    years, rows = selectors.population_table()
    return render(
        request,
        "performance/populations.html",
        {"title": "Child populations", "form": form, "years": years, "rows": rows},
    )
