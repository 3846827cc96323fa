"""The editorial desk: issues and their parts, shared records (documents, agencies,
people), imports, and the history of every change. Every change made here goes through
apps.briefings.editing."""

from . import issues, parts, records  # noqa: F401  (registers the admins)
