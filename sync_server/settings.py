"""Server settings, read from ``LOYALTY_SERVER_*`` environment variables.

Defaults suit a developer's machine. With ``LOYALTY_SERVER_ENVIRONMENT=production``
the settings refuse anything that is only safe on a laptop, naming each problem
and its fix in one message.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal, Self

from limits import parse
from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "LOYALTY_SERVER_"
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"
DEVELOPMENT_DATABASE_URL = "sqlite:///./sync_server.sqlite3"
MIN_SECRET_KEY_LENGTH = 32

# Plain "postgresql://" would make SQLAlchemy look for psycopg2; we ship psycopg 3.
_POSTGRES_PREFIXES = ("postgresql://", "postgres://")
_SUPPORTED_PREFIXES = ("sqlite://", "postgresql+psycopg://")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class ServerSettings(BaseSettings):
    """Everything the server reads from its environment; immutable once built."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default=DEVELOPMENT_DATABASE_URL,
        description="sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user:pw@host/db",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    secret_key: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET_KEY),
        description="Key enrollment codes are hashed with; random, 32+ characters. "
        "Every server instance and the enrollment-code command need the same one.",
    )
    migrate_on_startup: bool = Field(
        default=True, description="Upgrade the database schema to the newest revision on start."
    )
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body accepted (413 beyond), except for pushed batches.",
    )
    max_push_body_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest request body accepted under /v1/sync/push (a batch of events).",
    )
    push_max_events: int = Field(
        default=1000,
        ge=1,
        le=1000,
        description="Most events in one pushed batch (413 push.too_large beyond).",
    )
    clock_skew_limit_s: int = Field(
        default=300,
        ge=1,
        description="A till whose clock is further off than this (seconds) is flagged.",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="Bearer token of the managers' API (/v1/manage/...); unset: it is off.",
    )
    enroll_rate: str = Field(
        default="10/minute",
        description="Enrollment attempts allowed per client address, in the `limits` "
        "library's notation: '10/minute', '100/hour', '5 per 10 seconds'.",
    )
    sign_in_rate: str = Field(
        default="30/minute",
        description="Dashboard sign-in attempts allowed per client address (the `limits` "
        "library's notation), on top of the per-login lockout.",
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// (per worker process) or a "
        "shared store the `limits` library knows, e.g. redis://host:6379.",
    )
    survey_link_days: int = Field(
        default=14,
        ge=1,
        le=365,
        description="How long a receipt's survey link (its QR) stays valid, in days.",
    )
    public_url: str | None = Field(
        default=None,
        description="Where customers' phones reach this server (the receipts' survey QR), "
        "e.g. https://rate.example.com; unset: the address each till syncs with.",
    )
    workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes.")
    ssl_certfile: str | None = Field(
        default=None, description="PEM certificate (chain) to serve HTTPS with uvicorn's own TLS."
    )
    ssl_keyfile: str | None = Field(default=None, description="PEM private key of ssl_certfile.")

    @field_validator("enroll_rate", "sign_in_rate")
    @classmethod
    def _rate_is_parseable(cls, rate: str, info: ValidationInfo) -> str:
        try:
            parse(rate)
        except ValueError:
            name = (info.field_name or "rate").upper()
            raise ValueError(
                f"{ENV_PREFIX}{name} must look like '10/minute' or '100 per hour'; got {rate!r}"
            ) from None
        return rate

    @model_validator(mode="after")
    def _tls_needs_certificate_and_key(self) -> Self:
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ValueError(
                f"{ENV_PREFIX}SSL_CERTFILE and {ENV_PREFIX}SSL_KEYFILE go together: "
                "set both to serve HTTPS, or neither"
            )
        for name in ("ssl_certfile", "ssl_keyfile"):
            path = getattr(self, name)
            if path is not None and not Path(path).is_file():
                raise ValueError(f"{ENV_PREFIX}{name.upper()}: no such file: {path}")
        return self

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, url: str) -> str:
        for prefix in _POSTGRES_PREFIXES:
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url.removeprefix(prefix)
        if not url.startswith(_SUPPORTED_PREFIXES):
            raise ValueError(
                f"{ENV_PREFIX}DATABASE_URL must start with sqlite:// or postgresql+psycopg://"
            )
        return url

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.environment is not Environment.PRODUCTION:
            return self
        problems = list(self.production_problems())
        if problems:
            raise ValueError(
                "unsafe settings for environment=production:\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )
        return self

    def production_problems(self) -> list[str]:
        problems = []
        secret = self.secret_key.get_secret_value()
        if secret == DEVELOPMENT_SECRET_KEY:
            problems.append(
                f"{ENV_PREFIX}SECRET_KEY is the development default; set a random value, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        elif len(secret) < MIN_SECRET_KEY_LENGTH:
            problems.append(
                f"{ENV_PREFIX}SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters"
            )
        if "database_url" not in self.model_fields_set:
            problems.append(
                f"{ENV_PREFIX}DATABASE_URL is not set; name the production database explicitly "
                "(postgresql+psycopg://user:password@host/dbname, or sqlite:////absolute/path)"
            )
        return problems
