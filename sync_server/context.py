"""What a running server hands to its routes: settings and adapters behind ports.

Built once by the app's lifespan; routes reach it only through ``sync_server.deps``.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sync_server.services.clock import Clock, utc_now
from sync_server.services.health import DatabaseProbe
from sync_server.services.unit_of_work import UnitOfWorkFactory
from sync_server.settings import ServerSettings


@dataclass(frozen=True)
class ServerContext:
    settings: ServerSettings
    database_probe: DatabaseProbe
    start_unit_of_work: UnitOfWorkFactory
    start_reading_unit_of_work: UnitOfWorkFactory  # for use cases that never write
    clock: Clock = utc_now

    @property
    def enrollment_code_key(self) -> bytes:
        """The key enrollment codes are hashed under (the CLI issuing them uses the same)."""
        return enrollment_code_key(self.settings)

    @property
    def survey_secret(self) -> bytes:
        """The key receipts' survey links are signed under (its own, derived from the secret)."""
        return survey_secret(self.settings)


def survey_secret(settings: ServerSettings) -> bytes:
    key = settings.secret_key.get_secret_value().encode("utf-8")
    return hmac.new(key, b"survey links", hashlib.sha256).digest()


def enrollment_code_key(settings: ServerSettings) -> bytes:
    return settings.secret_key.get_secret_value().encode("utf-8")
