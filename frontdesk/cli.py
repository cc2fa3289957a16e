"""The `frontdesk` command: Django's management command under the project's name.

`frontdesk run`, `serve`, `worker`, `createadmin` and `demo` are the project's
own subcommands; everything else (`migrate`, `shell`, ...) is Django's.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
