from safeguarding.performance.views.catalogue import catalogue, indicator_create, indicator_edit, populations
from safeguarding.performance.views.dashboards import (
    download,
    indicator_detail,
    overview,
    priority_dashboard,
    published,
    published_download,
)
from safeguarding.performance.views.returns import template_csv, upload

__all__ = [
    "catalogue",
    "download",
    "indicator_create",
    "indicator_detail",
    "indicator_edit",
    "overview",
    "populations",
    "priority_dashboard",
    "published",
    "published_download",
    "template_csv",
    "upload",
]
