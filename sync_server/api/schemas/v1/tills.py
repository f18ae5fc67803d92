"""Till enrollment (``POST /v1/tills/enroll``) and identity (``GET /v1/tills/me``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class EnrollmentRequestV1(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(
        max_length=64,
        description="The one-time code from the operator; spaces and dashes are ignored.",
        examples=["4821-0937-5512"],
    )
    till_id: str = Field(
        max_length=64, description="The UUID the till made for itself on first start."
    )
    till_name: str = Field(
        max_length=200, description="How managers will see this till, unique in its store."
    )


class StoreV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    name: str


class EnrollmentV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    till_id: str
    till_name: str
    store: StoreV1
    credential: str = Field(
        description="Bearer token for every later request: 'Authorization: Bearer <credential>'. "
        "Sent only in this response; keep it secret."
    )
    server_time: AwareDatetime = Field(description="The server's clock, to check the till's.")


class TillV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    till_id: str
    till_name: str
    store: StoreV1
    enrolled_at: datetime | None
