"""``GET /health``: is the server up, which release, can it reach its database."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DatabaseHealthV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    backend: str = Field(examples=["postgresql", "sqlite"])
    reachable: bool
    schema_revision: str | None = Field(
        description="Alembic revision the database is at; null if unknown or not migrated."
    )


class HealthV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Literal["ok", "unavailable"]
    version: str = Field(description="Release of the server software.")
    database: DatabaseHealthV1
