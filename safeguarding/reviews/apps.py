from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Learning from serious incidents: notifications to the National Panel, referrals
    that did not become one, and rapid reviews from the agencies' summaries to the
    partners' sign-off and the Panel's reply. Built on children (a notified child may be
    a linked child) and governance (the partners' posts)."""

    name = "safeguarding.reviews"
    label = "reviews"
    verbose_name = "Serious incidents and reviews"
