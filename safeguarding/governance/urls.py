from django.urls import path

from safeguarding.governance.views import answers, meetings, records

app_name = "governance"

urlpatterns = [
    path("", meetings.overview, name="overview"),
    path("groups/<slug:code>/", meetings.group_detail, name="group"),
    path("groups/<slug:code>/members/add/", meetings.membership_add, name="membership_add"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/add/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/register/", meetings.meeting_register, name="meeting_register"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/papers/add/", meetings.paper_add, name="paper_add"),
    path("meetings/<int:pk>/papers/<int:paper_pk>/", meetings.paper_download, name="paper"),
    path("actions/", records.action_list, name="actions"),
    path("actions/add/", records.action_create, name="action_create"),
    path("actions/<int:pk>/", records.action_detail, name="action"),
    path("priorities/", records.priority_list, name="priorities"),
    path("priorities/add/", records.priority_create, name="priority_create"),
    path("priorities/<slug:code>/", records.priority_detail, name="priority"),
    path("agreements/", records.agreement_list, name="agreements"),
    path("agreements/add/", records.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", records.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/document/", records.agreement_document, name="agreement_document"),
    path("scrutiny/", records.scrutiny_list, name="scrutiny"),
    path("scrutiny/add/", records.recommendation_create, name="recommendation_create"),
    path("scrutiny/<int:pk>/respond/", records.response_record, name="response_record"),
    path("answers/", answers.answers_page, name="answers"),
    path("answers.csv", answers.answers_csv, name="answers_csv"),
    path("answers.xlsx", answers.answers_xlsx, name="answers_xlsx"),
]
