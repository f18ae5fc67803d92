"""Till enrollment (``POST /v1/tills/enroll``) and identity (``GET /v1/tills/me``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from sync_server.services.enrollment import MAX_TILL_NAME

# 12 digits with any spaces or dashes around and between them (what the server accepts).
CODE_PATTERN = r"^[\s-]*(?:[0-9][\s-]*){12}$"
# The server takes any printable characters (str.isprintable) that are not all spaces;
# a JSON Schema pattern cannot say "printable" portably, so it names a safe part of it:
# ASCII, Latin-1 and Latin Extended letters, Cyrillic and №, not starting with a space.
_NAME_CHARS = r"!-~\u00a1-\u00ac\u00ae-\u024f\u0400-\u04ff\u2116"
NAME_PATTERN = rf"^ *[{_NAME_CHARS}][ {_NAME_CHARS}]*$"
# The field itself may carry surrounding spaces, which are trimmed before the check.
MAX_TILL_NAME_FIELD = 200
_UUID: dict[str, JsonValue] = {"format": "uuid"}


class EnrollmentRequestV1(BaseModel):
    """What the server checks is stated here (pattern, format, lengths) so a client or a
    schema-driven fuzzer can build a valid request; the server refuses anything else
    with 422 and a reason (``enrollment.code_malformed``, ``…till_id_malformed``,
    ``…name_invalid``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(
        max_length=64,
        description="The one-time code from the operator: 12 digits; spaces and dashes "
        "are ignored.",
        examples=["4821-0937-5512"],
        json_schema_extra={"pattern": CODE_PATTERN},
    )
    till_id: str = Field(
        max_length=64,
        description="The UUID the till made for itself on first start.",
        examples=["0f8e4c52-8a8e-4a51-9a53-2f7d1bb3c0de"],
        json_schema_extra={"format": "uuid"},
    )
    till_name: str = Field(
        max_length=MAX_TILL_NAME_FIELD,
        description=f"How managers will see this till, unique in its store: 1 to "
        f"{MAX_TILL_NAME} printable characters once surrounding spaces are trimmed "
        "(any script; the pattern names the Latin and Cyrillic part of it).",
        examples=["Till 1"],
        json_schema_extra={"minLength": 1, "maxLength": MAX_TILL_NAME, "pattern": NAME_PATTERN},
    )


class StoreV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(json_schema_extra=_UUID)
    name: str


class EnrollmentV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    till_id: str = Field(json_schema_extra=_UUID)
    till_name: str
    store: StoreV1
    credential: str = Field(
        description="Bearer token for every later request: 'Authorization: Bearer <credential>'. "
        "Sent only in this response; keep it secret."
    )
    server_time: AwareDatetime = Field(description="The server's clock, to check the till's.")


class TillV1(BaseModel):
    model_config = ConfigDict(frozen=True)

    till_id: str = Field(json_schema_extra=_UUID)
    till_name: str
    store: StoreV1
    enrolled_at: datetime | None
