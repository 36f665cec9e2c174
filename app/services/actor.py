"""The acting user every service call takes, so roles are enforced in the services."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.enums import USER_ROLE_NAMES, UserRole


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: UserRole

    @property
    def role_name(self) -> str:
        return USER_ROLE_NAMES[self.role]

    @classmethod
    def from_user(cls, user: object) -> Actor:
        return cls(user.id, user.username, UserRole(user.role))  # type: ignore[attr-defined]


# The application itself, for set-up steps that happen before any user exists (first run).
SYSTEM = Actor(user_id=None, username="系统", role=UserRole.ADMIN)
