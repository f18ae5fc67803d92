"""Customers' ratings of the cashier who served them: one per receipt, whatever the channel."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sync_server.adapters.models.base import Base, Id, IdType, Instant


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (Index(None, "staff_id", "at"), Index(None, "store_id", "at"))

    id: Mapped[Id]
    sale_id: Mapped[str] = mapped_column(IdType, ForeignKey("sales.id"), unique=True)
    store_id: Mapped[str] = mapped_column(IdType, ForeignKey("stores.id"))
    till_id: Mapped[str] = mapped_column(IdType, ForeignKey("tills.id"))
    staff_id: Mapped[str] = mapped_column(IdType)  # the cashier rated
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))  # display | web
    at: Mapped[Instant]
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")  # web only


class VoteRefusal(Base):
    """A vote that came second for its receipt: refused, and kept so managers see it."""

    __tablename__ = "vote_refusals"

    id: Mapped[Id]
    sale_id: Mapped[str] = mapped_column(IdType, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    at: Mapped[Instant]
