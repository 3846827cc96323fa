"""Print the size of each public page (raw and gzip-compressed) and of the stylesheet.

Targets: issue page under 60 KB compressed, total CSS under 30 KB.
Run: .venv/bin/python bench/page_weight.py   (uses the seed archive in a scratch database)
"""

import gzip
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = Path(tempfile.mkdtemp()) / "weight.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
os.environ.setdefault("DEBUG", "true")  # a local scratch database

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from apps.briefings.models import Issue  # noqa: E402

call_command("migrate", verbosity=0)
call_command("seed_archive", stdout=io.StringIO())
client = Client()
issues = list(Issue.objects.published())
heaviest = max(issues, key=lambda issue: issue.words)
story = heaviest.stories.first()

pages = {
    "home": "/",
    "archive": "/issues/",
    f"issue ({heaviest.slug[:30]}…)": heaviest.get_absolute_url(),
    "story": story.get_absolute_url(),
    "agency (MIIT)": "/agencies/miit/",
    "search (battery)": "/search/?q=battery",
}
print(f"{'page':40} {'bytes':>8} {'gzip':>8}")
for name, url in pages.items():
    body = client.get(url).content
    print(f"{name:40} {len(body):8} {len(gzip.compress(body, 6)):8}")
css = b"".join(path.read_bytes() for path in (ROOT / "static").rglob("*.css"))
print(f"{'all CSS':40} {len(css):8} {len(gzip.compress(css, 6)):8}")
