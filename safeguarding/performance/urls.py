from django.urls import path

from safeguarding.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("returns/send/", views.upload, name="upload"),
    path("returns/template.csv", views.template_csv, name="template"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
]
