from django.urls import path

from safeguarding.training.views import figures, manage, public

app_name = "training"

urlpatterns = [
    path("", public.catalogue, name="catalogue"),
    path("courses/<slug:code>/", public.course_detail, name="course"),
    path("sessions/<int:pk>/book/", public.book, name="book"),
    path("bookings/confirm/<str:token>/", public.booking_confirm, name="booking_confirm"),
    path("bookings/<str:token>/", public.booking_manage, name="booking_manage"),
    path("bookings/<str:token>/cancel/", public.booking_cancel, name="booking_cancel"),
    path("feedback/<str:token>/", public.feedback, name="feedback"),
    path("feedback/<str:token>/certificate.pdf", public.certificate_by_token, name="certificate"),
    path("follow-up/<str:token>/", public.follow_up, name="follow_up"),
    path("manage/", manage.sessions, name="sessions"),
    path("manage/courses/add/", manage.course_create, name="course_create"),
    path("manage/sessions/add/", manage.session_create, name="session_create"),
    path("manage/sessions/<int:pk>/", manage.session_detail, name="session"),
    path("manage/sessions/<int:pk>/cancel/", manage.session_cancel, name="session_cancel"),
    path("manage/sessions/<int:pk>/register/", manage.session_register, name="session_register"),
    path(
        "manage/sessions/<int:pk>/bookings/<int:booking_pk>/cancel/", manage.booking_cancel, name="booking_cancel_for"
    ),
    path(
        "manage/sessions/<int:pk>/bookings/<int:booking_pk>/certificate.pdf",
        manage.booking_certificate,
        name="booking_certificate",
    ),
    path("manage/elearning/", manage.elearning_import, name="elearning_import"),
    path("manage/workforce/", manage.workforce, name="workforce"),
    path("summary/", figures.summary_page, name="summary"),
    path("summary.csv", figures.summary_csv, name="summary_csv"),
    path("summary.xlsx", figures.summary_xlsx, name="summary_xlsx"),
]
