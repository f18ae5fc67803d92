"""``sync-server``: run the central server, or only migrate its database.

    sync-server [serve] [--host H] [--port P] [--database-url URL] [--migrate | --no-migrate]
    sync-server migrate [--database-url URL]

Flags override the ``LOYALTY_SERVER_*`` environment variables.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from sync_server.settings import ENV_PREFIX, ServerSettings

EXIT_BAD_CONFIGURATION = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = ServerSettings(**_overrides(args))
    except ValidationError as error:
        print(_explain(error), file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    if args.command == "migrate":
        return _migrate(settings)
    return _serve(settings)


def _serve(settings: ServerSettings) -> int:
    import uvicorn

    from sync_server.app import create_app

    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s: %(message)s")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
    )
    return 0


def _migrate(settings: ServerSettings) -> int:
    from sync_server.adapters.migrate import head_revision, upgrade_to_head

    upgrade_to_head(settings.database_url)
    print(f"database is at revision {head_revision()}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sync-server",
        description="Central loyalty sync server. Settings come from LOYALTY_SERVER_* "
        "environment variables; these flags override them.",
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["serve", "migrate"],
        default="serve",
        help="serve (default): run the HTTP server; migrate: upgrade the database and exit",
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    parser.add_argument(
        "--database-url",
        help="sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user:password@host/db",
    )
    parser.add_argument(
        "--migrate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="upgrade the database schema on start (default: on)",
    )
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    flags = {
        "host": args.host,
        "port": args.port,
        "database_url": args.database_url,
        "migrate_on_startup": args.migrate,
    }
    return {name: value for name, value in flags.items() if value is not None}


def _explain(error: ValidationError) -> str:
    lines = ["sync-server: refusing to start with these settings:"]
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"])
        where = f"{ENV_PREFIX}{field.upper()}: " if field else ""
        message = problem["msg"].removeprefix("Value error, ").replace("\n", "\n    ")
        lines.append(f"  {where}{message}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
