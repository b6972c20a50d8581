"""The ``safeguarding`` command: a thin wrapper over Django's management commands.

safeguarding migrate
safeguarding import PATH      (later areas add their commands the same way)

The demo's commands (load_demo, demo_code) need DJANGO_SETTINGS_MODULE=config.demo_settings.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line  # once the settings are named

    execute_from_command_line(["safeguarding", *sys.argv[1:]])


if __name__ == "__main__":
    main()
