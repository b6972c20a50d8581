from django.urls import path

from safeguarding.core import views, views_outbox

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_csv, name="audit_csv"),
    path("email-failures/", views.email_failures, name="email_failures"),
    path("sent-emails/", views_outbox.sent_emails, name="sent_emails"),
]
