from django.urls import path

from safeguarding.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("figures.<str:fmt>", views.download, name="download"),
    path("priorities/<slug:code>/", views.priority_dashboard, name="priority"),
    path("published/", views.published, name="published"),
    path("published/figures.<str:fmt>", views.published_download, name="published_download"),
    path("returns/send/", views.upload, name="upload"),
    path("returns/template.csv", views.template_csv, name="template"),
    path("indicators/", views.catalogue, name="catalogue"),
    path("indicators/new/", views.indicator_create, name="indicator_new"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("populations/", views.populations, name="populations"),
]
