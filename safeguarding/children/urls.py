from django.urls import path

from safeguarding.children import views

app_name = "children"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("records/load/", views.records_upload, name="upload"),
    path("linkage/runs/start/", views.run_start, name="run_start"),
    path("linkage/runs/<int:pk>/", views.run_detail, name="run"),
    path("lookup/", views.lookup, name="lookup"),
    path("access/", views.access_log, name="access_log"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
]
