"""Stores, their tills (terminals), till enrollment codes and staff."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant, Name, utc_now

# Mirrors loyalty_core.staff.Role; a new role needs a migration on purpose.
STAFF_ROLES = ("cashier", "senior", "manager")


class Store(Base):
    __tablename__ = "stores"

    id: Mapped[Id]
    name: Mapped[Name]
    created_at: Mapped[Instant] = mapped_column(default=utc_now)


class Till(Base):
    """A terminal. It exists before it enrolls; enrolling sets the credential hash,
    revoking sets ``revoked_at`` and the credential stops working."""

    __tablename__ = "tills"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    id: Mapped[Id]
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(String(100))
    credential_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    enrolled_at: Mapped[Instant | None]
    revoked_at: Mapped[Instant | None]


class EnrollmentCode(Base):
    """A one-time code a manager gives to a new till. Only its keyed hash is kept
    (the code is high-entropy, so a keyed hash can be looked up directly). It is
    spent with ``UPDATE ... SET used_at = now WHERE code_hash = :h AND used_at IS NULL
    AND expires_at > now`` in the enrollment transaction: of two racing requests
    exactly one sees a row updated."""

    __tablename__ = "enrollment_codes"

    id: Mapped[Id]
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    expires_at: Mapped[Instant]
    used_at: Mapped[Instant | None]


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (
        CheckConstraint(f"role IN {STAFF_ROLES!r}", name="role"),
        CheckConstraint("failed_pin_attempts >= 0", name="failed_pin_attempts"),
    )

    id: Mapped[Id]
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"), index=True)
    name: Mapped[Name]
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(255))
    failed_pin_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Instant | None]
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    disabled_at: Mapped[Instant | None]
