"""A scratch SQLite database for a benchmark, so it never touches the real one."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    sys.path.insert(0, str(ROOT))
    scratch = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ["MEDIA_ROOT"] = str(scratch.parent / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
    os.environ.setdefault("DEBUG", "true")  # a local scratch database
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
