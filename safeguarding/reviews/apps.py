from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Learning from serious incidents: notifications to the National Panel, referrals
    that did not become one, and rapid reviews from the agencies' summaries to the
    partners' sign-off and the Panel's reply. Built on children (a notified child may be
    a linked child) and governance (the partners' posts)."""

    name = "safeguarding.reviews"
    label = "reviews"
    verbose_name = "Serious incidents and reviews"
    url_prefix = "reviews/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.core.api import register_router
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm
        from safeguarding.reviews import attention, datapackage, report  # noqa: F401  (home-page items, files, report)
        from safeguarding.reviews.api import router

        register_router(router)

        register(NavItem("Reviews", "reviews:notifications", Perm.VIEW_REVIEW_DECISIONS, 45, "/reviews/"))
        register(
            NavItem(
                "Recommendations",
                "reviews:recommendations",
                Perm.VIEW_RECOMMENDATIONS,
                47,
                "/reviews/recommendations/",
                unless=Perm.VIEW_REVIEW_DECISIONS,
            )
        )
        register(
            NavItem(
                "Briefings",
                "reviews:briefings",
                Perm.VIEW_BRIEFINGS,
                48,
                "/reviews/briefings/",
                unless=Perm.VIEW_REVIEW_DECISIONS,
            )
        )
        register(
            NavItem(
                "Summary requests",
                "reviews:my_requests",
                Perm.ANSWER_SUMMARY_REQUESTS,
                46,
                "/reviews/requests/",
                unless=Perm.VIEW_REVIEW_DECISIONS,
            )
        )
        register(
            NavItem(
                "Review figures",
                "reviews:figures",
                Perm.VIEW_REVIEW_FIGURES,
                48,
                "/reviews/figures/",
                unless=Perm.VIEW_REVIEW_DECISIONS,  # they reach it from the Reviews page
            )
        )
