import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The web server runs no system checks of its own, so it runs the one that matters at
# start-up: a mailer that cannot be built would otherwise fail after a write has committed.
from safeguarding.core.checks import mailers_can_be_built  # noqa: E402

if problems := mailers_can_be_built():
    raise ImproperlyConfigured("; ".join(f"{p.msg} {p.hint}" for p in problems))
