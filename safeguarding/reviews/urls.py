from django.urls import path

from safeguarding.reviews.views import notifications, practice_reviews, recommendations, review, summaries

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
    path("cspr/", practice_reviews.practice_review_list, name="practice_reviews"),
    path("cspr/new/", practice_reviews.practice_review_open, name="practice_review_open"),
    path("cspr/<int:pk>/", practice_reviews.practice_review_detail, name="practice_review"),
    path("cspr/<int:pk>/commission/", practice_reviews.commission, name="cspr_commission"),
    path("cspr/<int:pk>/parallel-process/", practice_reviews.parallel_process, name="cspr_parallel_process"),
    path("cspr/<int:pk>/pause/", practice_reviews.pause, name="cspr_pause"),
    path("cspr/<int:pk>/resume/", practice_reviews.resume, name="cspr_resume"),
    path("cspr/<int:pk>/report/", practice_reviews.report_version, name="cspr_report"),
    path("cspr/<int:pk>/monitoring/", practice_reviews.monitoring, name="cspr_monitoring"),
    path("cspr/<int:pk>/send/", practice_reviews.send_to_panel, name="cspr_send"),
    path("cspr/<int:pk>/publish/", practice_reviews.publish, name="cspr_publish"),
    path("recommendations/", recommendations.recommendation_list, name="recommendations"),
    path("recommendations/new/", recommendations.recommendation_create, name="recommendation_create"),
    path("recommendations/national-review/new/", recommendations.national_review_create, name="national_review_create"),
    path("recommendations/<int:pk>/", recommendations.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/action/", recommendations.action_add, name="recommendation_action"),
    path("recommendations/<int:pk>/impact/", recommendations.impact_add, name="recommendation_impact"),
    path("recommendations/<int:pk>/close/", recommendations.close, name="recommendation_close"),
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
