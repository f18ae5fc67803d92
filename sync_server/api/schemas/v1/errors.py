"""The body of every refusal (4xx) the server sends, so a till can show ``message``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ErrorV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(
        description="Stable, machine-readable reason, e.g. enrollment.code_used.",
        examples=["enrollment.code_used"],
    )
    message: str = Field(description="What went wrong and what to do, in English.")
