from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeguarding.accounts"
    label = "accounts"
    verbose_name = "Organisations, people and users"
    url_prefix = ""  # where config.urls mounts its pages

    def ready(self) -> None:
        from safeguarding.accounts.api import router
        from safeguarding.core.api import register_router

        register_router(router)
        from safeguarding.accounts import attention, datapackage  # noqa: F401  (home-page items, files)
        from safeguarding.accounts.services import api_token_authenticate
        from safeguarding.core.api import register_token_check

        register_token_check(api_token_authenticate)
        from safeguarding.core.navigation import NavItem, register
        from safeguarding.core.permissions import Perm

        register(NavItem("Home", "core:home", Perm.HOME, 0, "/"))
        register(NavItem("Organisations", "accounts:organisations", Perm.VIEW_DIRECTORY, 80, "/organisations/"))
        register(NavItem("People", "accounts:people", Perm.VIEW_DIRECTORY, 81, "/people/"))
        register(NavItem("Users", "accounts:users", Perm.MANAGE_USERS, 89, "/users/"))
        register(NavItem("Audit trail", "core:audit", Perm.VIEW_AUDIT, 90, "/audit/"))
        register(NavItem("API tokens", "accounts:api_tokens", Perm.MANAGE_API_TOKENS, 91, "/api-tokens/"))
