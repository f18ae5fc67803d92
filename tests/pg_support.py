"""Real PostgreSQL for tests: a fresh, uniquely named database, dropped afterwards.

The server comes from ``LOYALTY_TEST_PG_URL``. If it cannot be reached the test
fails (never skips) and says how to start one.
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

PG_URL_ENV = "LOYALTY_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_PREFIX = "loyalty_test_"


def admin_url() -> str:
    """libpq URL of the test server's maintenance database."""
    url = os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def require_postgres() -> str:
    url = admin_url()
    problem = _connection_problem(url)
    if problem is not None:
        shown = make_url(url).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL is needed for this test and is not reachable at {shown}:\n{problem}\n"
            "Start it: `bash .ci/run` starts (or installs) one on 127.0.0.1:5432; on Debian "
            "`pg_ctlcluster 15 main start`; or point "
            f"{PG_URL_ENV}=postgresql://user:password@host:port/postgres at a server where "
            "that user may CREATE DATABASE.",
            pytrace=False,
        )
    return url


@functools.cache  # a server that is down costs one connect timeout per run, not per test
def _connection_problem(url: str) -> str | None:
    try:
        with psycopg.connect(url, connect_timeout=5):
            return None
    except psycopg.OperationalError as error:
        return str(error)


@contextmanager
def temporary_database(label: str) -> Iterator[str]:
    """Create an empty database; yield its SQLAlchemy (psycopg 3) URL; drop it after."""
    admin = require_postgres()
    name = _database_name(label)
    _run_admin(admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield (
            make_url(admin)
            .set(drivername="postgresql+psycopg", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        _run_admin(
            admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# Server tests run once per backend; the PostgreSQL run fails loudly without a server.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def backend_database_url(backend: str, label: str, folder: Path) -> Iterator[str]:
    """An empty database of ``backend`` ("sqlite" in ``folder``, or "postgresql")."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'server.sqlite3'}"
        return
    with temporary_database(label) as url:
        yield url


def _database_name(label: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30]
    return f"{DATABASE_PREFIX}{slug}_{uuid.uuid4().hex[:12]}"


def _run_admin(url: str, statement: sql.Composed) -> None:
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)
