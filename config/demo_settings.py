"""Settings for the demo (``make demo``): the real settings, with the demo app installed.

The demo app loads the synthetic Northshire partnership (``load_demo``) and shows its
log-ins' two-step codes (``demo_code``). Production settings leave it out, so a live
system has no command that writes synthetic people and children into it.
"""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "safeguarding.demo"]  # noqa: F405
