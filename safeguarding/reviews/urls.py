from django.urls import path

from safeguarding.reviews.views import notifications, review, summaries

app_name = "reviews"

# Under /reviews/ (ReviewsConfig.url_prefix). A rapid review's pages are by its pk.
urlpatterns = [
    path("", notifications.notification_list, name="notifications"),
    path("notifications/new/", notifications.notification_create, name="notification_create"),
    path("referrals/", notifications.referral_list, name="referrals"),
    path("referrals/new/", notifications.referral_create, name="referral_create"),
    path("requests/", summaries.my_requests, name="my_requests"),
    path("requests/<int:pk>/<int:request_pk>/", summaries.answer, name="answer"),
    path("requests/<int:pk>/<int:request_pk>/children/", summaries.answer_children, name="answer_children"),
    path("<int:pk>/", review.review_detail, name="review"),
    path("<int:pk>/children/", review.review_children, name="children"),
    path("<int:pk>/not-required/", review.not_required, name="not_required"),
    path("<int:pk>/summaries/request/", review.summary_request, name="summary_request"),
    path("<int:pk>/summaries/<int:request_pk>/", review.summary_read, name="summary"),
    path("<int:pk>/summaries/<int:request_pk>/chase/", review.summary_chase, name="summary_chase"),
    path("<int:pk>/summaries/<int:request_pk>/return/", review.summary_return, name="summary_return"),
    path("<int:pk>/decide/", review.decide, name="decide"),
    path("<int:pk>/sign-off/", review.sign_off, name="sign_off"),
    path("<int:pk>/send/", review.send_to_panel, name="send"),
    path("<int:pk>/panel-reply/", review.panel_reply, name="panel_reply"),
]
