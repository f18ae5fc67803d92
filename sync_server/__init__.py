"""The central sync server: many stores and tills on one database.

Layout: ``settings`` (environment), ``app`` (the factory and lifespan, the only
place that wires adapters to routes), ``deps`` (FastAPI dependency aliases over
ports), ``api/`` (thin routes and versioned wire schemas, no SQL), ``services/``
(use cases over ports), ``adapters/`` (SQLAlchemy models, engine, migrations).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("loyalty-till")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
