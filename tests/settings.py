"""The test suite's settings: the project's, loaded as for local work (pytest-django turns
DEBUG off while the tests run). The production defaults have their own tests, which start
`manage.py` with DEBUG off (tests/test_settings.py)."""

import os

os.environ.setdefault("DEBUG", "true")

from briefs_cms.settings import *  # noqa: E402, F403
