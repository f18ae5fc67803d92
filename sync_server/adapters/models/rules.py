"""Versioned loyalty rules, pushed to every till; a version is never edited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Instant
from sync_server.services.clock import utc_now


class RulesVersion(Base):
    __tablename__ = "rules_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[Instant] = mapped_column(default=utc_now)
