"""Till settings: a TOML file in the platform's config directory, overridden by environment.

Precedence, highest first: explicit arguments, ``LOYALTY_TILL_*`` environment
variables, the settings file, defaults. The file is
``<user config dir>/loyalty-till/till.toml`` unless ``LOYALTY_TILL_CONFIG`` names
another one. A bad value is refused with a message naming the setting and its source.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from loyalty_core.errors import DomainError
from loyalty_core.phone import check_region
from resources.demo.dataset import DEMO_CARD_SECRET

APP_NAME = "loyalty-till"
CONFIG_ENV = "LOYALTY_TILL_CONFIG"
# Only for the demo store: a real till receives its program secret at enrollment.


class TillMode(StrEnum):
    DEMO = "demo"
    PRODUCTION = "production"


class WindowMode(StrEnum):
    """How the till's window opens: a window sized to the screen, maximised, or full screen."""

    WINDOW = "window"
    MAXIMIZED = "maximized"
    FULLSCREEN = "fullscreen"


def default_config_file() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME)) / "till.toml"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class InvalidSettingsError(DomainError):
    code = "settings.invalid"
    template = "Invalid till settings ({source}):\n{problems}"


class TillSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LOYALTY_TILL_", extra="forbid")

    mode: TillMode = TillMode.DEMO
    data_dir: Path = Field(default_factory=_default_data_dir)
    database_path: Path | None = None  # default: <data_dir>/till.sqlite3
    log_dir: Path | None = None  # default: <data_dir>/logs
    log_level: str = "INFO"
    server_url: str = "http://127.0.0.1:8765"
    # A private CA that signed the server's https certificate (default: the system's CAs).
    server_ca_file: Path | None = None
    sync_interval_s: float = Field(default=5.0, ge=0.5, le=3600)
    phone_region: str = "RU"
    language: str = "ru"
    window: WindowMode = WindowMode.WINDOW  # a store's till usually runs full screen
    # Everything larger on a touch screen: 1.25, 1.5, 2 (1: as designed).
    ui_scale: float = Field(default=1.0, ge=0.75, le=3.0)
    # A second window for the customer (the second screen when there is one).
    customer_display: bool = False
    # Back to the PIN screen after this long with nobody at the till, never mid-sale (0: never).
    idle_lock_minutes: float = Field(default=5, ge=0, le=24 * 60)
    card_secret_hex: str = DEMO_CARD_SECRET
    printer_url: str = ""  # e.g. tcp://192.168.1.50:9100; empty: no printer
    # Receipts waiting longer than this are flagged in the status bar (never dropped).
    print_stale_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # The staff-rating survey: each receipt's QR is this URL plus the receipt's id ("": no QR).
    survey_base_url: str = ""
    # A serial or USB-CDC barcode scanner: a port path or pyserial URL, e.g. /dev/ttyACM0,
    # COM4, socket://host:4001 ("": none). Keyboard-wedge scanners need no port.
    scanner_url: str = ""
    # A keyboard-wedge burst is a scan when no pause between its keys is longer than this and
    # it has at least this many characters before its Enter or Tab; anything else is typing.
    wedge_max_gap_ms: int = Field(default=30, ge=5, le=200)
    wedge_min_length: int = Field(default=4, ge=1, le=64)
    busy_timeout_ms: int = Field(default=5000, ge=100, le=60_000)
    # The WAL file is cut back (a TRUNCATE checkpoint, off the sale's path) once it passes this.
    wal_limit_mb: int = Field(default=64, ge=1, le=4096)
    # A return refunding more than this, in minor units (500000 kopecks is 5 000,00 RUB), needs
    # a manager's PIN at the till; None: no limit.
    return_limit_minor: int | None = Field(default=500_000, ge=0)
    pin_max_attempts: int = Field(default=5, ge=1, le=20)
    pin_lockout_seconds: int = Field(default=300, ge=10, le=86_400)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=default_config_file())
        return (init_settings, env_settings, toml)

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        try:
            return check_region(value)
        except DomainError as exc:
            raise ValueError(exc.message) from None

    @field_validator("language")
    @classmethod
    def _shipped_language(cls, value: str) -> str:
        if value not in ("ru", "en"):
            raise ValueError("language must be 'ru' or 'en'")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("log_level must be DEBUG, INFO, WARNING or ERROR")
        return level

    @field_validator("server_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("server_url must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("scanner_url")
    @classmethod
    def _scanner_port(cls, value: str) -> str:
        return value.strip()

    @field_validator("card_secret_hex")
    @classmethod
    def _secret(cls, value: str) -> str:
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raise ValueError("card_secret_hex must be hexadecimal") from None
        if len(raw) < 16:
            raise ValueError("card_secret_hex must hold at least 16 bytes")
        return value

    @model_validator(mode="after")
    def _no_demo_secret_in_production(self) -> TillSettings:
        if self.mode is TillMode.PRODUCTION and self.card_secret_hex == DEMO_CARD_SECRET:
            raise ValueError(
                "card_secret_hex is the demo secret; a production till needs its program's secret"
            )
        return self

    @property
    def card_secret(self) -> bytes:
        return bytes.fromhex(self.card_secret_hex)

    @property
    def resolved_database_path(self) -> Path:
        return self.database_path or self.data_dir / "till.sqlite3"

    @property
    def resolved_log_dir(self) -> Path:
        return self.log_dir or self.data_dir / "logs"


def load_settings(**overrides: Any) -> TillSettings:
    """Load and validate settings, turning pydantic's report into one clear message."""
    try:
        return TillSettings(**overrides)
    except ValidationError as exc:
        problems = "\n".join(
            f"  {'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidSettingsError(
            source=f"{default_config_file()} and LOYALTY_TILL_* variables", problems=problems
        ) from None
