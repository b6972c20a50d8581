"""System checks for what settings alone cannot see: every command (the task worker's
``db_worker``, ``migrate``) and ``check --deploy`` run them, so a deployment that cannot
send e-mail stops at start-up instead of after an import has committed."""

from django.conf import settings
from django.core import checks, mail

# What to set, by the option or part of MAILERS that Django says is wrong.
MAILER_VARIABLES = {
    "'host'": "EMAIL_HOST",
    "'port'": "EMAIL_PORT",
    "use_ssl": "EMAIL_USE_TLS or EMAIL_USE_SSL",
    "use_tls": "EMAIL_USE_TLS or EMAIL_USE_SSL",
    "BACKEND": "EMAIL_BACKEND",
}
ALL_MAIL_VARIABLES = (
    "EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL"
)


def mailer_variable(message: str) -> str:
    """The environment variable to set, from Django's message about a mailer."""
    for clue, variable in MAILER_VARIABLES.items():
        if clue in message:
            return variable
    return ALL_MAIL_VARIABLES


@checks.register()
def mailers_can_be_built(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Build each configured mailer (this opens no connection)."""
    errors = []
    for alias in getattr(settings, "MAILERS", {}):
        try:
            mail.mailers[alias]
        except Exception as error:  # InvalidMailer, or whatever a third-party backend raises
            variable = mailer_variable(str(error))
            errors.append(
                checks.Error(
                    f"E-mail cannot be sent: the mailer {alias!r} cannot be built ({error}).",
                    hint=f"Set {variable} in the environment (see docs/running.md, 'E-mail').",
                    id="core.E001",
                )
            )
    return errors
