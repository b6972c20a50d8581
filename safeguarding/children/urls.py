from django.urls import path

from safeguarding.children.views import access, child, deliveries, linkage

app_name = "children"

urlpatterns = [
    path("", linkage.overview, name="overview"),
    path("records/load/", linkage.records_upload, name="upload"),
    path("records/deliveries/<int:pk>/", deliveries.delivery, name="delivery"),
    path("records/quality/", deliveries.source_quality, name="source_quality"),
    path("linkage/runs/start/", linkage.run_start, name="run_start"),
    path("linkage/runs/<int:pk>/", linkage.run_detail, name="run"),
    path("lookup/", linkage.lookup, name="lookup"),
    path("access/", linkage.access_log, name="access_log"),
    path("access/our-children/", access.agency_reads, name="agency_reads"),
    path("reviews/", linkage.review_list, name="reviews"),
    path("reviews/<int:pk>/", linkage.review_detail, name="review"),
    path("child/<str:reference>/", child.child_view, name="child"),
    path("who-sees-what/", child.access_policy, name="access_policy"),
]
