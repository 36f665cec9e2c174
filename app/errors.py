"""Domain exceptions. Every message a user can cause is in Chinese and says what, where, and what to do."""

from __future__ import annotations


class SkillSiteError(Exception):
    """Base class of every error the application raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UserInputError(SkillSiteError):
    """Invalid input from the user or a user's file (CLI exit code 1)."""


class ValidationError(UserInputError):
    """A value failed a rule; `field` names what was wrong where one applies."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(UserInputError):
    """A referenced record does not exist."""


class PermissionDenied(SkillSiteError):
    """The acting user's role does not allow the operation (refusals are audited)."""


class AuthenticationError(SkillSiteError):
    """Wrong user name or password, disabled or locked account."""


class ConfigurationError(SkillSiteError):
    """A bad configuration or resource file (e.g. a malformed province profile)."""


class DatabaseVersionError(SkillSiteError):
    """The database was written by a newer SkillSite, or could not be migrated."""


class SecretStoreError(SkillSiteError):
    """No usable secret store: the feature that needs a secret refuses to run."""
