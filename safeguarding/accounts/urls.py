from django.urls import path

from safeguarding.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/sign-in/", views.sign_in, name="login"),
    path("account/sign-out/", views.sign_out, name="logout"),
    path("account/two-step/", views.two_factor_verify, name="two_factor_verify"),
    path("account/two-step/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/", views.account, name="account"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/add/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:code>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:code>/change/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="people"),
    path("people/add/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/new-post/", views.person_change_post, name="person_change_post"),
    path("api-tokens/", views.api_token_list, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
