from django.urls import path

from safeguarding.moves.views import alerts, figures

app_name = "moves"

# Under /children/moves/ (config/urls.py), where the pages have always been.
urlpatterns = [
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("figures/", figures.figures, name="figures"),
    path("figures.<str:fmt>", figures.figures_download, name="figures_download"),
]
