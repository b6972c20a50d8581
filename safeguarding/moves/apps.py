from django.apps import AppConfig


class MovesConfig(AppConfig):
    """Children who move across area boundaries: detection the day the evidence arrives,
    the MASH's alerts from new to closed, their e-mails, and question 10's figures. Built
    on the children area, which calls it back through ``children.extensions``."""

    name = "safeguarding.moves"
    label = "moves"
    verbose_name = "Children who moved"
    url_prefix = "children/moves/"  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.children.extensions import (
            ChildPanel,
            LinkedFollowUp,
            on_records_linked,
            register_child_panel,
        )
        from safeguarding.children.policy import Part
        from safeguarding.core.audit import register_former_label
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm
        from safeguarding.moves import attention, report, selectors, services  # noqa: F401  (home-page items, report)

        on_records_linked(
            LinkedFollowUp(
                "move_alerts",
                "Looking for children who moved",
                lambda *, child_ids, new_since: len(services.detect_moves(child_ids=child_ids, new_since=new_since)),
            )
        )
        register_child_panel(
            ChildPanel(
                "moves", Part.MOVES, selectors.alerts_about, "moves/_child_panel.html", "moves/_child_banner.html"
            )
        )
        register(
            NavItem(
                "Children who moved",
                "moves:figures",
                Perm.VIEW_MOVE_FIGURES,
                41,
                "/children/moves/figures/",
                unless=Perm.VIEW_LINKAGE,  # they reach it from the Children page
            )
        )
        # Audit rows cannot change: those written before the models moved here keep the
        # children area's label, and the trail reads them as these.
        register_former_label("children.movealert", "moves.movealert")
        register_former_label("children.movealertupdate", "moves.movealertupdate")
