from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from safeguarding.core.api import api

handler403 = "safeguarding.core.views.error_403"
handler404 = "safeguarding.core.views.error_404"
handler500 = "safeguarding.core.views.error_500"


def area_urls() -> list:
    """Each area's pages, mounted where its AppConfig says (``url_prefix``), so a new area
    adds nothing here. Longest prefix first, so /children/moves/ reaches the moves area
    before the children area's patterns see it; areas with the same prefix keep the
    INSTALLED_APPS order."""
    mounted = [
        (prefix, config.name)
        for config in apps.get_app_configs()
        if (prefix := getattr(config, "url_prefix", None)) is not None
    ]
    mounted.sort(key=lambda area: -len(area[0]))
    return [path(prefix, include(f"{name}.urls")) for prefix, name in mounted]


urlpatterns = [
    *area_urls(),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
