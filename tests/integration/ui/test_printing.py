"""The print worker on a real till, real Qt and a loopback TCP printer: every sale prints,
a printer that is off or cuts the connection never loses a receipt, nothing prints twice."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from hardware.receipt import ReceiptDocument
from pos_client.__main__ import till_identity
from pos_client.bootstrap import Till, bootstrap
from pos_client.config import load_settings
from pos_client.print_runner import PrintRunner
from pos_client.services.demo_store import demo_phone, seed_demo_store
from pos_client.services.facade import TillServices
from pos_client.services.messages import (
    CartItem,
    CheckoutRequest,
    CompletedSale,
    QueueState,
    ReceiptToPrint,
)
from pos_client.tasks import Changes, TaskManager
from pos_client.ui.app import delete_now
from pos_client.ui.main_window import MainWindow
from pos_client.ui.receipt_composer import ReceiptComposer
from pos_client.ui.status_bar import TillStatusBar
from tests.integration.hardware.fake_printers import (
    OUT_OF_PAPER,
    PAPER_LOW,
    READY,
    WAIT,
    LoopbackTcpPrinter,
    free_port,
)
from tests.integration.ui.conftest import (
    CASHIER,
    CASHIER_PIN,
    log_in,
    pay_at_till,
    press,
    scan,
    wait_quote,
)
from tests.integration.ui.conftest import (
    MILK as MILK_BARCODE,
)

CUT = b"\x1dV"  # GS V: python-escpos' cut
SELECT_CP866 = b"\x1bt\x11"  # ESC t 17
MILK = CartItem(sku="milk", name="Молоко 3,2%", unit_price=8_990, quantity_milli=2_000)
SURVEY = "https://survey.example/r/"


def _till(folder: Path, port: int, *, seed: bool) -> Till:
    url = f"tcp://127.0.0.1:{port}?timeout={WAIT}"
    till = bootstrap(load_settings(data_dir=folder, printer_url=url, language="en"), logs=False)
    if seed:
        seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=5)
    return till


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def till(tmp_path: Path, port: int) -> Iterator[Till]:
    till = _till(tmp_path, port, seed=True)
    yield till
    till.close()


class StatusBarHost:
    """A window holding only the status bar, as the till's main window holds it."""

    def __init__(self, till: Till, tasks: TaskManager, runner: PrintRunner) -> None:
        self.window = QMainWindow()
        self.bar = TillStatusBar(till.services, tasks, self.window, printer=runner)
        self.window.setStatusBar(self.bar)
        self.window.show()

    def close(self) -> None:
        self.bar.stop()
        self.window.close()
        delete_now(self.window)


def _runner(till: Till, tasks: TaskManager) -> PrintRunner:
    return PrintRunner(
        till.services,
        till.printer,
        ReceiptComposer(survey_base_url=SURVEY).compose,
        tasks,
        retry_s=0.2,
        max_retry_s=0.5,
        poll_s=60,
    )


@pytest.fixture
def runner(qtbot: QtBot, till: Till, tasks: TaskManager) -> Iterator[PrintRunner]:
    runner = _runner(till, tasks)
    yield runner
    runner.stop()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
    delete_now(runner)


def _sell(till: Till, tasks: TaskManager, *, customer: bool = True) -> CompletedSale:
    sv = till.services
    who = sv.identify(demo_phone(0)).customer.id if customer else None
    sale = sv.checkout(CheckoutRequest((MILK,), sv.staff_list()[0].id, customer_id=who))
    tasks.broadcast(Changes(sales=True, outbox=True))  # what the checkout screen's Op does
    return sale


def _next_job(qtbot: QtBot, jobs: queue.Queue[bytes]) -> bytes:
    """The next job the printer received; the GUI thread's events run meanwhile (the
    worker's steps come back through them)."""
    qtbot.waitUntil(lambda: not jobs.empty(), timeout=int(WAIT * 2000))
    return jobs.get_nowait()


def _no_second_job(qtbot: QtBot, printer: LoopbackTcpPrinter) -> None:
    qtbot.wait(500)  # a second print would have arrived by now
    assert printer.jobs.empty()


def test_a_sale_prints_its_receipt_whole_once(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    with LoopbackTcpPrinter(port=port) as printer:
        runner.start()
        sale = _sell(till, tasks)
        job = _next_job(qtbot, printer.jobs)
        qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
        _no_second_job(qtbot, printer)
    assert job.startswith(b"\x1b@") and SELECT_CP866 in job  # reset, then the code page
    assert "Молоко 3,2%".encode("cp866") in job
    assert b"Sales receipt" in job and f"№ {sale.number}".encode("cp866") in job
    assert (SURVEY + sale.sale_id).encode() in job  # the survey QR's data
    assert job.endswith(CUT + b"\x00")  # the paper is cut last
    assert runner.state.ready is not False and runner.state.problem is None
    assert till.services.print_queue().waiting == 0


def test_with_the_printer_off_the_sale_is_kept_and_prints_when_it_comes_back(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    runner.start()
    sale = _sell(till, tasks)
    qtbot.waitUntil(lambda: runner.state.problem_kind == "offline", timeout=int(WAIT * 1000))
    assert runner.state.ready is False
    qtbot.waitUntil(lambda: runner.state.waiting == 1)
    # The sale itself is committed and on its way to the server, printed or not.
    assert till.services.find_sale(sale.number).id == sale.sale_id
    with LoopbackTcpPrinter(port=port) as printer:
        job = _next_job(qtbot, printer.jobs)  # the next retry finds it on
        qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
        _no_second_job(qtbot, printer)
    assert "Молоко 3,2%".encode("cp866") in job
    assert runner.state.problem is None and runner.state.ready is True


def test_a_printer_that_cuts_the_connection_mid_job_keeps_it_queued_then_prints_it_whole(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    with LoopbackTcpPrinter(port=port, reset_after=100) as flaky:
        runner.start()
        _sell(till, tasks)
        cut = _next_job(qtbot, flaky.cut_jobs)
        qtbot.waitUntil(lambda: runner.state.problem is not None, timeout=int(WAIT * 1000))
        assert till.services.print_queue().waiting == 1
        runner.stop()  # no retry at this printer while it is swapped
        qtbot.waitUntil(lambda: not tasks.busy)
    with LoopbackTcpPrinter(port=port) as printer:
        runner.start()
        whole = _next_job(qtbot, printer.jobs)
        qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
        _no_second_job(qtbot, printer)
    # A cash sale: its first attempt opened the drawer; the reprint from the queue does not.
    kick = cut[cut.index(b"\x1bp") :][:5]
    assert len(cut) == 100 and len(whole) > 100 and kick not in whole
    assert whole.startswith(cut.replace(kick, b""))
    assert whole.startswith(b"\x1b@")  # again from the start, not from where it was cut


def test_a_till_restarted_with_receipts_queued_prints_them_in_order(
    qtbot: QtBot, tmp_path: Path, tasks: TaskManager, port: int
) -> None:
    first = _till(tmp_path, port, seed=True)  # printer off, no worker: two receipts wait
    numbers = [_sell(first, tasks).number, _sell(first, tasks, customer=False).number]
    first.close()
    restarted = _till(tmp_path, port, seed=False)
    runner = _runner(restarted, tasks)
    try:
        assert restarted.services.print_queue().waiting == 2
        with LoopbackTcpPrinter(port=port) as printer:
            runner.start()
            jobs = [_next_job(qtbot, printer.jobs), _next_job(qtbot, printer.jobs)]
            qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
            _no_second_job(qtbot, printer)
    finally:
        runner.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        delete_now(runner)
        restarted.close()
    assert [f"№ {n}".encode("cp866") in job for n, job in zip(numbers, jobs, strict=True)] == [
        True,
        True,
    ]
    assert b"Bonus" in jobs[0] and b"Bonus" not in jobs[1]  # the second sale had no card


def test_a_reprint_is_a_copy_and_never_opens_the_drawer(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    with LoopbackTcpPrinter(port=port) as printer:
        runner.start()
        _sell(till, tasks)
        original = _next_job(qtbot, printer.jobs)
        qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
        till.services.reprint()
        tasks.broadcast(Changes(prints=True))
        copy = _next_job(qtbot, printer.jobs)
        qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
    assert b"COPY" in copy and b"COPY" not in original
    assert b"\x1bp" not in copy  # ESC p: the drawer kick


def test_the_cashiers_day_a_sale_prints_the_printer_goes_off_and_comes_back(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    window = MainWindow(till.services, tasks, till_identity(till), printer=runner)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.login.staff.count() == 3)
        runner.start()
        press(window.login.pin, Qt.Key.Key_F9)  # nobody is logged in: F9 does nothing
        qtbot.wait(300)
        assert window.status.currentMessage() == ""
        log_in(qtbot, window, CASHIER, CASHIER_PIN)
        checkout = window.checkout
        qtbot.waitUntil(lambda: window.screens.currentWidget() is checkout)
        label = window.status.printer_label

        def sell() -> None:
            scan(qtbot, checkout, MILK_BARCODE)
            wait_quote(qtbot, checkout)
            pay_at_till(qtbot, checkout)

        press(checkout.scan_bar.field, Qt.Key.Key_F9)  # nothing sold yet: it says so
        qtbot.waitUntil(
            lambda: (
                window.status.currentMessage() == "No receipt has been printed at this till yet."
            )
        )
        with LoopbackTcpPrinter(port=port) as printer:
            sell()
            first = _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: label.text() == "Printer ready")
        assert "Молоко".encode("cp866") in first
        # The printer is switched off: the sale still completes, the bar says why.
        sell()
        qtbot.waitUntil(
            lambda: label.text() == "Printer is off or unplugged · receipts waiting: 1",
            timeout=int(WAIT * 1000),
        )
        assert label.isVisible()
        with LoopbackTcpPrinter(port=port) as printer:
            second = _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: label.text() == "Printer ready")
            _no_second_job(qtbot, printer)
            # F9, whatever has focus: a copy of the last receipt, marked as one.
            press(checkout.scan_bar.field, Qt.Key.Key_F9)
            copy = _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(
                lambda: window.status.currentMessage() == "A copy of the last receipt is printing."
            )
        assert "Молоко".encode("cp866") in second
        assert b"COPY" in copy and b"COPY" not in second
    finally:
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        window.close()
        delete_now(window)


def test_a_printer_out_of_paper_keeps_the_receipt_and_prints_it_once_the_roll_is_in(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    with LoopbackTcpPrinter(OUT_OF_PAPER, port=port) as printer:
        runner.start()
        _sell(till, tasks)
        qtbot.waitUntil(lambda: runner.state.problem_kind == "paper_out", timeout=int(WAIT * 1000))
        assert printer.jobs.empty()  # asked first (DLE EOT), nothing sent to an empty printer
        printer.replies = READY  # the cashier puts a roll in
        job = _next_job(qtbot, printer.jobs)
        qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
        _no_second_job(qtbot, printer)
    assert "Молоко".encode("cp866") in job and runner.state.problem is None


def test_paper_near_its_end_shows_between_sales(
    qtbot: QtBot, till: Till, tasks: TaskManager, port: int
) -> None:
    runner = PrintRunner(
        till.services,
        till.printer,
        ReceiptComposer().compose,
        tasks,
        poll_s=0.1,
    )
    status = StatusBarHost(till, tasks, runner)
    try:
        with LoopbackTcpPrinter(PAPER_LOW, port=port):
            runner.start()
            qtbot.waitUntil(lambda: runner.state.paper_low, timeout=int(WAIT * 1000))
            qtbot.waitUntil(
                lambda: status.bar.printer_label.text() == "Printer: paper is running low"
            )
            assert runner.state.ready is True  # it still prints
    finally:
        runner.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        status.close()
        delete_now(runner)


class MarkRefusedOnce:
    """The till's print port, whose database refuses the first "printed" mark (locked past
    its busy timeout, say); everything else is the real till's."""

    def __init__(self, services: TillServices) -> None:
        self.services, self.refused = services, 0

    def next_to_print(self) -> ReceiptToPrint | None:
        return self.services.next_to_print()

    def printed(self, job_id: int) -> None:
        if not self.refused:
            self.refused += 1
            raise DatabaseBusyError("database is locked")
        self.services.printed(job_id)

    def print_failed(self, job_id: int, reason: str) -> None:
        self.services.print_failed(job_id, reason)

    def print_queue(self) -> QueueState:
        return self.services.print_queue()


class DatabaseBusyError(Exception):
    pass


def test_a_receipt_printed_while_the_database_refuses_its_mark_is_not_printed_again(
    qtbot: QtBot, till: Till, tasks: TaskManager, port: int
) -> None:
    flaky = MarkRefusedOnce(till.services)
    runner = PrintRunner(
        flaky, till.printer, ReceiptComposer().compose, tasks, retry_s=0.2, max_retry_s=0.5
    )
    try:
        with LoopbackTcpPrinter(port=port) as printer:
            runner.start()
            _sell(till, tasks)
            _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0, timeout=5000)
            _no_second_job(qtbot, printer)
        assert flaky.refused == 1 and till.services.print_queue().waiting == 0
    finally:
        runner.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        delete_now(runner)


def test_receipts_waiting_longer_than_the_setting_are_flagged_with_the_oldest_time(
    qtbot: QtBot, till: Till, tasks: TaskManager, port: int
) -> None:
    sale = _sell(till, tasks)  # the printer is off all along
    now = [sale.created_at]
    runner = PrintRunner(
        till.services,
        till.printer,
        ReceiptComposer().compose,
        tasks,
        retry_s=60,  # no retry in this test: the status poll alone must notice
        poll_s=0.1,
        stale_after=timedelta(minutes=30),
        clock=lambda: now[0],
    )
    status = StatusBarHost(till, tasks, runner)
    try:
        runner.start()
        qtbot.waitUntil(
            lambda: (
                status.bar.printer_label.text()
                == "Printer is off or unplugged · receipts waiting: 1"
            ),
            timeout=int(WAIT * 1000),
        )
        now[0] = sale.created_at + timedelta(minutes=45)  # no retry comes: only the poll looks
        store = ZoneInfo(till.services.rules().timezone)  # the store's clock, as receipts
        since = sale.created_at.astimezone(store).strftime("%H:%M")
        qtbot.waitUntil(
            lambda: (
                status.bar.printer_label.text()
                == f"Printer is off or unplugged · receipts waiting: 1 (the oldest since {since})"
            ),
            timeout=int(WAIT * 1000),
        )
        assert runner.state.stale
    finally:
        runner.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        status.close()
        delete_now(runner)


def test_any_past_receipt_is_reprinted_from_the_receipt_lookup(
    qtbot: QtBot, till: Till, tasks: TaskManager, runner: PrintRunner, port: int
) -> None:
    window = MainWindow(till.services, tasks, till_identity(till), printer=runner)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.login.staff.count() == 3)
        log_in(qtbot, window, CASHIER, CASHIER_PIN)
        qtbot.waitUntil(lambda: window.screens.currentWidget() is window.checkout)
        with LoopbackTcpPrinter(port=port) as printer:
            runner.start()
            older, newer = _sell(till, tasks), _sell(till, tasks)
            for _ in (older, newer):
                _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
            press(window.checkout.scan_bar.field, Qt.Key.Key_F7)
            qtbot.waitUntil(lambda: window.receipts is not None and window.receipts.isVisible())
            dialog = window.receipts
            assert dialog is not None
            qtbot.waitUntil(lambda: len(dialog.receipts) == 2)
            qtbot.waitUntil(dialog.isActiveWindow)
            assert dialog.reprint_button.isVisible()
            press(dialog.search, Qt.Key.Key_Down)  # the older sale
            press(dialog.search, Qt.Key.Key_F9)
            copy = _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
            _no_second_job(qtbot, printer)
        assert b"COPY" in copy and b"\x1bp" not in copy  # a copy never opens the drawer
        assert f"№ {older.number}".encode("cp866") in copy
        assert dialog.message.text() == f"A copy of receipt No. {older.number} is printing."
        dialog.reject()
    finally:
        qtbot.waitUntil(lambda: not tasks.busy)
        window.close()
        delete_now(window)


def test_a_receipt_that_cannot_be_laid_out_is_set_aside_and_the_next_one_prints(
    qtbot: QtBot, till: Till, tasks: TaskManager, port: int
) -> None:
    compose = ReceiptComposer(survey_base_url=SURVEY).compose
    broken: list[int] = []

    def compose_or_fail(item: ReceiptToPrint) -> ReceiptDocument:
        if not broken:  # the first job meets a bug in laying out its paper
            broken.append(item.job.id)
            raise ValueError("no layout for this receipt")
        return compose(item)

    runner = PrintRunner(
        till.services, till.printer, compose_or_fail, tasks, retry_s=0.2, max_retry_s=0.5, poll_s=60
    )
    try:
        with LoopbackTcpPrinter(port=port) as printer:
            first, second = _sell(till, tasks), _sell(till, tasks)
            runner.start()
            paper = _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0)
            _no_second_job(qtbot, printer)
        assert f"№ {second.number}".encode("cp866") in paper
        with till.services.uows.reading() as uow:
            aside = uow.print_jobs.get(broken[0])
        assert aside is not None and aside.sale_id == first.sale_id and aside.printed_at is None
        assert aside.last_error == "could not be laid out: no layout for this receipt"
    finally:
        runner.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        delete_now(runner)


def test_a_printer_that_takes_a_receipt_but_never_confirms_it_does_not_get_it_twice(
    qtbot: QtBot, tmp_path: Path, tasks: TaskManager, port: int
) -> None:
    url = f"tcp://127.0.0.1:{port}?timeout=0.5&status=off"
    till = bootstrap(load_settings(data_dir=tmp_path, printer_url=url, language="en"), logs=False)
    seed_demo_store(till.services.uows, till.engines, till.services.ctx, customers=5)
    runner = _runner(till, tasks)
    host = StatusBarHost(till, tasks, runner)
    try:
        with LoopbackTcpPrinter(port=port, hold_open_s=1.0) as silent:
            sale = _sell(till, tasks)
            runner.start()
            paper = _next_job(qtbot, silent.jobs)
            qtbot.waitUntil(lambda: runner.state.problem_kind == "unconfirmed", timeout=5000)
            qtbot.waitUntil(lambda: runner.idle and runner.state.waiting == 0, timeout=5000)
            _no_second_job(qtbot, silent)  # it may have printed: it is not sent again
        assert f"№ {sale.number}".encode("cp866") in paper
        assert host.bar.printer_label.text() == (
            "Printer did not confirm the last receipt: check it came out (F9 prints a copy)"
        )
        with till.services.uows.reading() as uow:
            (job,) = [uow.print_jobs.get(1)]
        assert job is not None and job.printed_at is not None
        assert job.last_error is not None and "did not confirm it within 0.5 s" in job.last_error
        with LoopbackTcpPrinter(port=port) as printer:  # a printer that confirms: all clear
            _sell(till, tasks)
            _next_job(qtbot, printer.jobs)
            qtbot.waitUntil(lambda: runner.state.problem_kind is None, timeout=5000)
        assert host.bar.printer_label.text() == "Printer ready"
    finally:
        runner.stop()
        qtbot.waitUntil(lambda: not tasks.busy, timeout=int(WAIT * 2000))
        host.close()
        delete_now(runner)
        till.close()
