"""Versioned loyalty rules, pulled by every till; a version is never edited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, FeedPosition, Instant
from sync_server.services.clock import utc_now


class RulesVersion(Base):
    """``document`` is ``LoyaltyRules`` as JSON (promo codes included); tills price
    with the newest version whose ``effective_at`` has come."""

    __tablename__ = "rules_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
    effective_at: Mapped[Instant]
    feed_position: Mapped[FeedPosition]
