#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
    # The command line is where development happens: DEBUG is on here unless set. The
    # servers' entry points (briefs_cms/wsgi.py, asgi.py) leave it off unless set.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
