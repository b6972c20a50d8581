from django.contrib import admin
from django.urls import include, path

from safeguarding.core.api import api

handler403 = "safeguarding.core.views.error_403"
handler404 = "safeguarding.core.views.error_404"
handler500 = "safeguarding.core.views.error_500"

urlpatterns = [
    path("", include("safeguarding.core.urls")),
    path("", include("safeguarding.accounts.urls")),
    path("governance/", include("safeguarding.governance.urls")),
    path("training/", include("safeguarding.training.urls")),
    path("performance/", include("safeguarding.performance.urls")),
    path("children/moves/", include("safeguarding.moves.urls")),
    path("children/", include("safeguarding.children.urls")),
    path("reports/", include("safeguarding.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
