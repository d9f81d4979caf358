"""The ``commonweal`` command: Django's management commands, plus ``demo``, ``org`` and ``user``."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # The demo is its own profile: plain HTTP on loopback, demo banner on every page.
        os.environ.setdefault("COMMONWEAL_ENV", "demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
