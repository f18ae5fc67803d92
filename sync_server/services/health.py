"""Health of the server as an operator sees it: up, which version, database state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class DatabaseStatus:
    backend: str
    reachable: bool
    schema_revision: str | None


class DatabaseProbe(Protocol):
    def check(self) -> DatabaseStatus: ...


@dataclass(frozen=True)
class HealthReport:
    version: str
    database: DatabaseStatus

    @property
    def healthy(self) -> bool:
        return self.database.reachable


def check_health(probe: DatabaseProbe, version: str) -> HealthReport:
    return HealthReport(version=version, database=probe.check())
