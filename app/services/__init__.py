"""Use cases. Each takes a Session and the acting user, checks the permission, validates,
writes its audit entry in the same transaction, and returns plain result objects."""

from app.services import text_limits as _text_limits  # noqa: F401  (registers the length check)
