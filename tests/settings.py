"""The test suite's settings: the project's, loaded as for local work (pytest-django turns
DEBUG off while the tests run). The production defaults have their own tests, which start
`manage.py` with DEBUG off (tests/test_settings.py)."""

import os

os.environ.setdefault("DEBUG", "true")

from briefs_cms.settings import *  # noqa: E402, F403

# Staff need a second factor, as wherever DEBUG is off: the suite signs staff in verified
# with a test device (tests/signin.py); local development's password-only sign-in has its
# own tests (tests/staff/test_two_factor.py).
TWO_FACTOR_REQUIRED = True
