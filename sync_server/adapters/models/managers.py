"""The people who open the managers' web dashboard, and their signed-in sessions.

A password is kept only as its argon2 hash. A session's cookie value is a 256-bit random
token; only its SHA-256 is kept, with the CSRF token its forms must send back.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Name
from sync_server.services.clock import utc_now

# Mirrors sync_server.services.manager_auth.ManagerRole.
MANAGER_ROLES = ("store_manager", "owner")


class Manager(Base):
    __tablename__ = "managers"
    __table_args__ = (
        CheckConstraint(f"role IN {MANAGER_ROLES!r}", name="role"),
        CheckConstraint("failed_attempts >= 0", name="failed_attempts"),
    )

    id: Mapped[Id]
    login: Mapped[str] = mapped_column(String(100), unique=True)  # kept lower-case
    name: Mapped[Name]
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Instant | None]
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    disabled_at: Mapped[Instant | None]


class ManagerStore(Base):
    """A store a store manager may see (an owner sees every store without rows here)."""

    __tablename__ = "manager_stores"

    manager_id: Mapped[str] = mapped_column(IdType, ForeignKey("managers.id"), primary_key=True)
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"), primary_key=True)


class ManagerSession(Base):
    __tablename__ = "manager_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    manager_id: Mapped[str] = mapped_column(IdType, ForeignKey("managers.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Instant]
    expires_at: Mapped[Instant]
