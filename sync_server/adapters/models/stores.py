"""Stores, their tills (terminals), till enrollment codes and staff."""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, FeedPosition, Id, IdType, Instant, Name
from sync_server.services.clock import utc_now

# Mirrors loyalty_core.staff.Role; a new role needs a migration on purpose.
STAFF_ROLES = ("cashier", "senior", "manager")
# How a store's tills may spend bonus while offline (pulled with the store's settings).
REDEMPTION_POLICIES = ("online_only", "offline_limit")
DEFAULT_TIMEZONE = "Europe/Moscow"


class Store(Base):
    """A shop. Operators name stores when they issue enrollment codes, so names are unique.

    ``redemption_policy``: ``online_only`` (spending bonus needs the server's answer) or
    ``offline_limit`` (a till may spend up to the last synced balance, and at most
    ``offline_limit_points`` per customer since its last sync when that is set)."""

    __tablename__ = "stores"
    __table_args__ = (
        CheckConstraint(f"redemption_policy IN {REDEMPTION_POLICIES!r}", name="redemption_policy"),
    )

    id: Mapped[Id]
    name: Mapped[Name] = mapped_column(unique=True, index=True)
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    redemption_policy: Mapped[str] = mapped_column(String(16), default="offline_limit")
    offline_limit_points: Mapped[int | None] = mapped_column(BigInteger)
    feed_position: Mapped[FeedPosition]
    # The zone of the store's days in managers' reports (an IANA name).
    timezone: Mapped[str] = mapped_column(
        String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE
    )


class Till(Base):
    """A terminal, keyed by the id the till made for itself. Enrolling creates it (or,
    for a till that enrolls again, replaces its credential hash and clears
    ``revoked_at``); revoking sets ``revoked_at`` and the credential stops working.
    The credential is a 256-bit random token; only its SHA-256 is kept, under a
    unique index so a request's bearer token finds its till with one lookup.
    (Unique indexes, not constraints, here and on store names: adding them to these
    parent tables needs no SQLite table rebuild, which their foreign keys forbid.)"""

    __tablename__ = "tills"
    __table_args__ = (UniqueConstraint("store_id", "name"),)

    id: Mapped[Id]
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(String(100))
    credential_hash: Mapped[str | None] = mapped_column(String(255), unique=True, index=True)
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    enrolled_at: Mapped[Instant | None]
    revoked_at: Mapped[Instant | None]
    last_push_at: Mapped[Instant | None]  # server time of the last push
    last_pull_at: Mapped[Instant | None]
    # The till's clock minus the server's, from the newest event of its last push
    # (seconds); flagged for managers past ``ServerSettings.clock_skew_limit_s``.
    clock_skew_s: Mapped[int | None] = mapped_column(BigInteger)
    clock_flagged_at: Mapped[Instant | None]


class EnrollmentCode(Base):
    """A one-time code an operator issues for a store and types into a new till.

    Only an HMAC of the code under the server's secret key is kept: a short code
    hashed without a key could be recovered from a copy of the database by trying
    every value. It is spent with ``UPDATE ... SET used_at = now WHERE code_hash = :h
    AND used_at IS NULL AND expires_at > now`` in the enrollment transaction: of two
    racing requests exactly one sees a row updated. ``used_by_till_id`` records
    which till spent it."""

    __tablename__ = "enrollment_codes"

    id: Mapped[Id]
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    expires_at: Mapped[Instant]
    used_at: Mapped[Instant | None]
    used_by_till_id: Mapped[str | None] = mapped_column(IdType, ForeignKey("tills.id"))


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
    feed_position: Mapped[FeedPosition]
