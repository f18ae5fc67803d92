"""``pos-admin``: set up and look after a till from the command line.

    pos-admin demo [--customers N] [--port P] [--till N]   the Quick start: server + till
    pos-admin init-db                           create or upgrade the till database
    pos-admin seed-demo [--customers N]         fill an empty till with the demo store
    pos-admin create-staff --name N --role R    add a staff member (PIN asked twice)
    pos-admin enroll --server URL --code CODE   enroll this till with the central server
    pos-admin print-test-receipt --printer URL  print a test receipt (tcp://host:9100 ...)
    pos-admin card-png --card N --out FILE      a loyalty card's QR code as a PNG file
    pos-admin sync                              push what waits, pull what changed, once
    pos-admin status                            what the till holds and what waits to sync

Settings come from the till settings file and ``LOYALTY_TILL_*`` variables;
``--data-dir`` overrides where the till keeps its database and logs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from loyalty_core.errors import DomainError
from loyalty_core.staff import Role
from pos_client.config import TillSettings, load_settings

EXIT_REFUSED = 2


def _settings(args: argparse.Namespace) -> TillSettings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return load_settings(**overrides)


def cmd_init_db(args: argparse.Namespace) -> int:
    from pos_client.adapters import migrate
    from pos_client.bootstrap import bootstrap

    till = bootstrap(_settings(args))
    try:
        print(f"till database {till.settings.resolved_database_path}")
        print(f"schema revision {migrate.current_revision(till.engines.write)}")
        print(f"till id {till.services.ctx.till_id}")
    finally:
        till.close()
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from pos_client.bootstrap import bootstrap
    from pos_client.services.demo_store import seed_demo_store

    till = bootstrap(_settings(args))
    try:
        report = seed_demo_store(
            till.services.uows, till.engines, till.services.ctx, customers=args.customers
        )
    finally:
        till.close()
    if report.seeded:
        print(
            f"seeded {report.staff} staff, {report.products} products, {report.customers} customers"
        )
    else:
        print("the till already has staff: left as it is")
    return 0


def cmd_create_staff(args: argparse.Namespace) -> int:
    from pos_client.bootstrap import bootstrap
    from pos_client.services.staff import create_staff

    pin = args.pin
    if pin is None:
        pin = getpass.getpass("PIN: ")
        if getpass.getpass("PIN again: ") != pin:
            print("the two PINs differ", file=sys.stderr)
            return EXIT_REFUSED
    till = bootstrap(_settings(args))
    try:
        member = create_staff(args.name, Role(args.role), pin, till.services.uows.writing())
    finally:
        till.close()
    print(f"created {member.role.value} {member.name} ({member.id})")
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    from pos_client.adapters.server_client import ServerClient
    from pos_client.bootstrap import bootstrap
    from pos_client.services.enrollment import enroll_till

    till = bootstrap(_settings(args))
    try:
        result = enroll_till(
            args.server.rstrip("/"),
            args.code,
            args.name,
            till.services.uows.writing(),
            till.services.ctx,
            ServerClient(),
        )
    finally:
        till.close()
    print(f"enrolled till {result.till_name} ({result.till_id}) with store {result.store_name}")
    return 0


def cmd_print_test_receipt(args: argparse.Namespace) -> int:
    from hardware.errors import PrinterError
    from hardware.test_receipt import print_test_receipt

    try:
        print_test_receipt(args.printer)
    except PrinterError as exc:
        print(f"pos-admin: the printer did not print: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print("test receipt sent")
    return 0


def cmd_card_png(args: argparse.Namespace) -> int:
    """Export a registered card's QR (digits only) for e-mail, a phone wallet or a print shop."""
    from hardware.card_qr import render_card_qr_png
    from loyalty_core.cards import mask_card
    from loyalty_core.customers import UnknownCardError
    from pos_client.bootstrap import bootstrap

    till = bootstrap(_settings(args))
    try:
        number = till.services.ctx.card_codec.verify(args.card)
        with till.services.uows.reading() as uow:
            card = uow.customers.card(number)
    finally:
        till.close()
    if card is None:
        raise UnknownCardError(masked=mask_card(number))
    render_card_qr_png(number, Path(args.out))
    print(f"card {mask_card(number)} written to {args.out}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from pos_client.bootstrap import bootstrap

    till = bootstrap(_settings(args))
    try:
        with till.services.uows.reading() as uow:
            sales = uow.sales.count()
            outbox = uow.outbox.count_by_status()
            staff = len(uow.staff.active())
    finally:
        till.close()
    print(f"till {till.services.ctx.till_id} at {till.settings.resolved_database_path}")
    print(f"staff {staff}, sales {sales}, outbox {outbox or 'empty'}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pos_client.demo_launcher import run_demo

    return run_demo(Path(args.dir), customers=args.customers, port=args.port, till_number=args.till)


def _progress(rows: int, more: bool) -> None:
    if more:  # a bootstrap or a long catch-up: one line, rewritten
        print(f"\rpulling from the server: {rows} rows", end="", flush=True)
    elif rows:
        print(f"\rpulling from the server: {rows} rows, done", flush=True)


def cmd_sync(args: argparse.Namespace) -> int:
    from pos_client.bootstrap import bootstrap

    till = bootstrap(_settings(args))
    try:
        result = till.sync.sync_now(on_page=_progress)
        queued, rejected = till.sync.counts()
    except DomainError as exc:
        print(f"pos-admin: sync failed: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        till.close()
    pushed = result.pushed
    print(
        f"pushed {pushed.sent} events ({pushed.applied} applied, {pushed.duplicate} duplicate,"
        f" {pushed.rejected} rejected); pulled {result.pulled_rows} rows in {result.pages}"
        f" pages; waiting {queued}, refused by the server {rejected}"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos-admin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="where the till keeps its database and logs")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="start the demo: sync server and a seeded till")
    demo.add_argument("--dir", default=".demo", help="demo data folder (default ./.demo)")
    demo.add_argument("--customers", type=int, default=3000)
    demo.add_argument("--port", type=int, default=8765, help="sync server port on 127.0.0.1")
    demo.add_argument(
        "--till", type=int, default=1, help="which demo till: 2 starts a second one (own folder)"
    )
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("sync", help="push what waits and pull what changed, once").set_defaults(
        func=cmd_sync
    )

    sub.add_parser("init-db", help="create or upgrade the till database").set_defaults(
        func=cmd_init_db
    )
    seed = sub.add_parser("seed-demo", help="fill an empty till with the demo store")
    seed.add_argument("--customers", type=int, default=3000)
    seed.set_defaults(func=cmd_seed_demo)

    staff = sub.add_parser("create-staff", help="add a staff member")
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", choices=[r.value for r in Role], default=Role.CASHIER.value)
    staff.add_argument("--pin", help="4-8 digits (asked for when left out)")
    staff.set_defaults(func=cmd_create_staff)

    enroll = sub.add_parser("enroll", help="enroll this till with the central server")
    enroll.add_argument("--server", required=True, help="e.g. https://loyalty.example.com")
    enroll.add_argument("--code", required=True, help="one-time code from the server")
    enroll.add_argument(
        "--name",
        help="how managers and the till's title bar name it (default: 'Till' and the last six"
        " digits of its id)",
    )
    enroll.set_defaults(func=cmd_enroll)

    receipt = sub.add_parser("print-test-receipt", help="print a test receipt")
    receipt.add_argument(
        "--printer", required=True, help="tcp://host:9100, usb://0x0416:0x5011, file:///path ..."
    )
    receipt.set_defaults(func=cmd_print_test_receipt)

    card_png = sub.add_parser("card-png", help="a loyalty card's QR code as a PNG file")
    card_png.add_argument("--card", required=True, help="the card's 16 digits")
    card_png.add_argument("--out", required=True, help="the PNG file to write")
    card_png.set_defaults(func=cmd_card_png)

    sub.add_parser("status", help="what the till holds").set_defaults(func=cmd_status)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except DomainError as exc:
        print(f"pos-admin: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    return code


if __name__ == "__main__":
    sys.exit(main())
