from django.urls import path

from safeguarding.accounts import views, views_users

app_name = "accounts"

urlpatterns = [
    path("account/sign-in/", views.sign_in, name="login"),
    path("account/sign-out/", views.sign_out, name="logout"),
    path("account/two-step/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-step/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/", views.account, name="account"),
    path("account/set-password/<str:uidb64>/<str:token>/", views_users.set_password, name="set_password"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/add/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:code>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:code>/change/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="people"),
    path("people/add/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/new-post/", views.person_change_post, name="person_change_post"),
    path("users/", views_users.user_list, name="users"),
    path("users/add/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views_users.user_detail, name="user"),
    path("users/<int:pk>/roles/", views_users.user_roles, name="user_roles"),
    path("users/<int:pk>/deactivate/", views_users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views_users.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/reset-two-step/", views_users.user_two_step_reset, name="user_two_step_reset"),
    path("users/<int:pk>/send-password-link/", views_users.user_password_link, name="user_password_link"),
    path("users/<int:pk>/unlock/", views_users.user_unlock, name="user_unlock"),
    path("users/<int:pk>/enrolment-code/", views_users.user_enrolment_code, name="user_enrolment_code"),
    path("api-tokens/", views.api_token_list, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
