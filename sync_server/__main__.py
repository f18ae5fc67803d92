"""``sync-server``: run the central server, migrate its database, or look after tills.

    sync-server [serve] [--host H] [--port P] [--database-url URL] [--migrate | --no-migrate]
                        [--workers N] [--ssl-certfile PEM --ssl-keyfile PEM]
    sync-server migrate [--database-url URL]
    sync-server enrollment-code --store NAME [--ttl-hours N]   one-time code for a new till
    sync-server revoke-till --till-id ID                       the till's credential stops working
    sync-server report                                         rejected events, debts, settlements
    sync-server retry-event --event-id ID                      apply a rejected event again

Flags override the ``LOYALTY_SERVER_*`` environment variables.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from pydantic import ValidationError

from sync_server.settings import ENV_PREFIX, ServerSettings

EXIT_BAD_CONFIGURATION = 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        settings = ServerSettings(**_overrides(args))
    except ValidationError as error:
        print(_explain(error), file=sys.stderr)
        return EXIT_BAD_CONFIGURATION
    if args.command == "migrate":
        return _migrate(settings)
    if args.command == "enrollment-code":
        from sync_server.admin import issue_code_command

        return issue_code_command(settings, args.store, args.ttl_hours)
    if args.command == "report":
        from sync_server.admin import report_command

        return report_command(settings)
    if args.command == "retry-event":
        from sync_server.admin import retry_event_command

        return retry_event_command(settings, args.event_id)
    if args.command == "seed-demo":
        from sync_server.admin import seed_demo_command

        return seed_demo_command(settings, args.customers)
    if args.command == "add-manager":
        from sync_server.admin import add_manager_command

        return add_manager_command(settings, args.login, args.name, args.role, args.stores)
    if args.command == "set-store-timezone":
        from sync_server.admin import set_store_timezone_command

        return set_store_timezone_command(settings, args.store, args.timezone)
    if args.command == "revoke-till":
        from sync_server.admin import revoke_till_command

        return revoke_till_command(settings, args.till_id)
    return _serve(settings, _overrides(args))


APP_FACTORY = "sync_server.app:app_from_environment"


def _serve(settings: ServerSettings, overrides: dict[str, Any]) -> int:
    """uvicorn with ``settings.workers`` processes, each building the app from the
    environment; the flags are put into that environment so every worker sees them."""
    import uvicorn

    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s: %(message)s")
    os.environ.update(_as_environment(overrides))
    if settings.workers > 1 and settings.migrate_on_startup:
        from sync_server.adapters.migrate import upgrade_to_head

        upgrade_to_head(settings.database_url)  # once, here, rather than once per worker
        os.environ[f"{ENV_PREFIX}MIGRATE_ON_STARTUP"] = "false"
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        ssl_certfile=settings.ssl_certfile,
        ssl_keyfile=settings.ssl_keyfile,
    )
    return 0


def _as_environment(overrides: dict[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {f"{ENV_PREFIX}{name.upper()}": text(value) for name, value in overrides.items()}


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
        choices=[
            "serve",
            "migrate",
            "enrollment-code",
            "revoke-till",
            "report",
            "retry-event",
            "seed-demo",
            "add-manager",
            "set-store-timezone",
        ],
        default="serve",
        help="serve (default): run the HTTP server; migrate: upgrade the database and exit; "
        "enrollment-code: print a one-time code that enrolls a till with --store; "
        "revoke-till: stop the credential of --till-id working; report: what sync refused "
        "or settled; retry-event: apply the rejected --event-id again; seed-demo: the demo store "
        "(staff, catalogue, rules, --customers customers) for demo tills to pull; add-manager: "
        "a login to the managers' dashboard (--login, --role, --stores; the password is asked, "
        "or read from LOYALTY_MANAGER_PASSWORD); set-store-timezone: the zone of --store's "
        "days in the managers' reports (--timezone, e.g. Asia/Vladivostok)",
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
    parser.add_argument("--workers", type=int, help="serve: uvicorn worker processes (default 1)")
    parser.add_argument(
        "--ssl-certfile",
        help="serve: PEM certificate (with its chain) to serve HTTPS with uvicorn's own TLS",
    )
    parser.add_argument("--ssl-keyfile", help="serve: PEM private key of --ssl-certfile")
    parser.add_argument(
        "--store", help="enrollment-code: the store's name (made if new); set-store-timezone: which"
    )
    parser.add_argument(
        "--ttl-hours",
        type=_hours,
        default=timedelta(hours=24),
        help="enrollment-code: hours the code stays valid (default 24)",
    )
    parser.add_argument("--till-id", help="revoke-till: the till's id")
    parser.add_argument("--event-id", help="retry-event: the rejected event's id")
    parser.add_argument("--timezone", default="", help="set-store-timezone: an IANA zone name")
    parser.add_argument("--login", help="add-manager: the login")
    parser.add_argument("--name", default="", help="add-manager: the name shown (default: login)")
    parser.add_argument(
        "--role",
        choices=["store_manager", "owner"],
        default="store_manager",
        help="add-manager: owner (every store) or store_manager (--stores only)",
    )
    parser.add_argument(
        "--stores",
        default="",
        help="add-manager: the store manager's stores, by name, separated by commas",
    )
    parser.add_argument(
        "--customers", type=int, default=3000, help="seed-demo: how many customers (default 3000)"
    )
    return parser


def _hours(text: str) -> timedelta:
    hours = float(text)
    if not math.isfinite(hours):
        raise argparse.ArgumentTypeError(f"not a number of hours: {text}")
    try:
        return timedelta(hours=hours)
    except OverflowError:
        raise argparse.ArgumentTypeError(f"far too many hours: {text}") from None


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "enrollment-code" and not args.store:
        parser.error("enrollment-code needs --store NAME")
    if args.command == "retry-event" and not args.event_id:
        parser.error("retry-event needs --event-id ID")
    if args.command == "revoke-till" and not args.till_id:
        parser.error("revoke-till needs --till-id ID")
    return args


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    flags = {
        "host": args.host,
        "port": args.port,
        "database_url": args.database_url,
        "migrate_on_startup": args.migrate,
        "workers": args.workers,
        "ssl_certfile": args.ssl_certfile,
        "ssl_keyfile": args.ssl_keyfile,
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
