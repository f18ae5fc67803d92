"""Screenshots of the managers' dashboard and of the receipt's survey on a phone, in Russian
and English, for the README.

    python3 dev.py web-screenshots

A sync server on loopback over a temporary SQLite database, seeded with two coffee shops,
eight cashiers and eight weeks of sales and ratings (made through the server's own
repositories, so its daily roll-ups are kept as a push keeps them), is opened in Debian's
headless Chromium: the scorecards, a cashier's page, the alerts (1366 px wide) and the survey
(an emulated 390 px phone). PNGs go to ``docs/screenshots/<lang>/``.
"""

from __future__ import annotations

import random
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import uvicorn
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from loyalty_core.ids import new_id  # noqa: E402
from loyalty_core.staff import hash_pin  # noqa: E402
from loyalty_core.survey_links import sign, store_secret  # noqa: E402
from sync_server.adapters.database import create_database_engine  # noqa: E402
from sync_server.adapters.migrate import upgrade_to_head  # noqa: E402
from sync_server.adapters.models import Staff, Store, Till  # noqa: E402
from sync_server.adapters.unit_of_work import SqlAlchemyUnitOfWork, session_factory  # noqa: E402
from sync_server.app import create_app  # noqa: E402
from sync_server.context import survey_secret  # noqa: E402
from sync_server.services.manager_auth import create_manager  # noqa: E402
from sync_server.services.manager_ports import ManagerRole  # noqa: E402
from sync_server.services.sync_ports import (  # noqa: E402
    NewCustomer,
    NewSale,
    VoteRecordOnServer,
)
from sync_server.settings import ServerSettings  # noqa: E402
from tests.browser_support import PHONE, chromium  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "screenshot-owner"
WEEKS = 8
# name, store, how they serve: weights of the scores 1..5, share of sales with a card
CASHIERS = (
    ("Анна Смирнова", 0, (0, 1, 2, 12, 40), 0.62),
    ("Олег Петров", 0, (1, 2, 6, 20, 18), 0.45),
    ("Мария Иванова", 0, (0, 0, 1, 6, 25), 0.71),
    ("Игорь Соколов", 0, (4, 5, 9, 14, 8), 0.12),
    ("Екатерина Орлова", 1, (0, 1, 3, 15, 30), 0.55),
    ("Дмитрий Волков", 1, (1, 1, 4, 12, 14), 0.38),
    ("Светлана Козлова", 1, (0, 0, 2, 9, 34), 0.66),
    ("Павел Новиков", 1, (2, 3, 6, 10, 6), 0.30),
)
REASONS_GOOD = ("polite", "fast", "helpful", "offered_card")
REASONS_BAD = ("slow", "impolite", "mistake")
COMMENTS = ("Долго искал сдачу", "Не предложили карту", "Ошиблись в цене", "Грубо ответили")


def seed(database_url: str, today: date) -> tuple[str, str, str]:
    """The chain; returns a recent unrated sale, its cashier and store (for the survey)."""
    engine = create_database_engine(database_url)
    upgrade_to_head(engine)
    uow = SqlAlchemyUnitOfWork(session_factory(engine))
    rng = random.Random(2026)
    stores = [new_id(), new_id()]
    tills = [new_id(), new_id()]
    staff = [new_id() for _ in CASHIERS]
    with uow:
        s = uow.session
        for store, till, name in zip(
            stores, tills, ("Кофейня «Зерно», Лесная", "Кофейня «Зерно», Арбат"), strict=True
        ):
            s.execute(insert(Store).values(id=store, name=name, timezone="Europe/Moscow"))
            s.execute(insert(Till).values(id=till, store_id=store, name="Касса 1"))
        for staff_id, (name, store, _w, _c) in zip(staff, CASHIERS, strict=True):
            s.execute(
                insert(Staff).values(
                    id=staff_id,
                    store_id=stores[store],
                    name=name,
                    role="cashier",
                    pin_hash=hash_pin("1111"),
                )
            )
        uow.commit()
    customers = [new_id() for _ in range(40)]
    start = datetime.combine(today - timedelta(weeks=WEEKS), datetime.min.time(), UTC)
    number = 0
    last: tuple[str, str, str] = ("", "", "")
    with uow:
        for n, customer in enumerate(customers):
            uow.sync.add_customer(
                NewCustomer(
                    id=customer,
                    phone=f"+7916{n:07d}",
                    name="Клиент" if n % 3 else None,
                    birthday=date(1990, 1, 1) if n % 3 else None,
                    email=None,
                    heard_from=None,
                    referrer_id=None,
                    consent_given_at=start,
                    consent_text_version="1",
                    till_id=tills[n % 2],
                    created_at=start + timedelta(days=n),
                    staff_id=staff[n % len(staff)],
                )
            )
        for day in range(WEEKS * 7):
            for index, (_name, store, weights, card_share) in enumerate(CASHIERS):
                if (day + index) % 7 in (5, 6):
                    continue  # two days off a week
                for _ in range(rng.randint(14, 28)):
                    number += 1
                    at = start + timedelta(days=day, hours=rng.uniform(8, 21))
                    paid = rng.randint(150, 1800) * 100
                    sale_id = new_id()
                    with_card = rng.random() < card_share
                    uow.sync.add_sale(
                        NewSale(
                            id=sale_id,
                            store_id=stores[store],
                            till_id=tills[store],
                            number=number,
                            staff_id=staff[index],
                            customer_id=rng.choice(customers) if with_card else None,
                            card_number=None,
                            currency="RUB",
                            rules_version=1,
                            subtotal=paid,
                            discount=0,
                            redeemed=rng.choice((0, 0, 0, 5000)) if with_card else 0,
                            paid=paid,
                            accrued=0,
                            occurred_at=at,
                            received_at=at,
                            receipt={},
                            event_id=new_id(),
                            lines=(),
                        )
                    )
                    if rng.random() < 0.3:
                        score = rng.choices(range(1, 6), weights=weights)[0]
                        reasons = rng.sample(REASONS_GOOD if score >= 4 else REASONS_BAD, 1)
                        comment = rng.choice(COMMENTS) if score <= 2 else ""
                        uow.sync.add_vote(
                            VoteRecordOnServer(
                                new_id(),
                                sale_id,
                                stores[store],
                                tills[store],
                                staff[index],
                                score,
                                reasons,
                                "web" if comment else "display",
                                at + timedelta(minutes=2),
                                comment,
                            )
                        )
                    else:
                        last = (sale_id, staff[index], stores[store])
        uow.commit()
    create_manager(
        "owner", "Ольга Морозова", PASSWORD, ManagerRole.OWNER, (), uow, now=datetime.now(UTC)
    )
    engine.dispose()
    return last


@contextmanager
def serving(settings: ServerSettings) -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _charts_drawn(driver: object) -> None:
    WebDriverWait(driver, 20).until(  # type: ignore[arg-type]
        lambda d: d.execute_script("return document.documentElement.dataset.charts") == "drawn"
    )


def shoot(base: str, lang: str, sale: tuple[str, str, str], secret: bytes, folder: Path) -> None:
    out = OUT / lang
    out.mkdir(parents=True, exist_ok=True)
    with chromium(folder, (1366, 1000)) as driver:
        driver.get(f"{base}/dashboard/login?lang={lang}")
        driver.find_element(By.ID, "login").send_keys("owner")
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        driver.find_element(By.ID, "sign-in").click()
        try:
            WebDriverWait(driver, 20).until(
                ready.presence_of_element_located((By.ID, "scorecards"))
            )
        except Exception:
            print(driver.page_source[:3000], file=sys.stderr)
            raise
        _charts_drawn(driver)
        driver.save_screenshot(str(out / "dashboard.png"))
        worst = driver.find_elements(By.CSS_SELECTOR, "#scorecards a.cashier")[-1]
        worst.click()
        WebDriverWait(driver, 20).until(ready.presence_of_element_located((By.ID, "cashier-name")))
        _charts_drawn(driver)
        driver.set_window_size(1366, 1300)
        driver.save_screenshot(str(out / "dashboard-cashier.png"))
        driver.set_window_size(1366, 1000)
        driver.find_element(By.ID, "nav-alerts").click()
        WebDriverWait(driver, 20).until(ready.presence_of_element_located((By.ID, "alerts")))
        driver.save_screenshot(str(out / "dashboard-alerts.png"))
    token = sign(
        store_secret(secret, sale[2]), sale[0], sale[1], datetime.now(UTC), timedelta(days=14)
    )
    with chromium(folder, PHONE) as phone:
        phone.get(f"{base}/survey/{token}?lang={lang}")
        phone.find_element(By.CSS_SELECTOR, "input[name=score][value='5'] + span").click()
        phone.find_element(By.CSS_SELECTOR, "input[name=reason][value='fast'] + span").click()
        phone.save_screenshot(str(out / "survey-phone.png"))


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'server.sqlite3'}"
        settings = ServerSettings(database_url=url)
        sale = seed(url, datetime.now(UTC).date())
        with serving(settings) as base:
            for lang in ("en", "ru"):
                shoot(base, lang, sale, survey_secret(settings), Path(folder))
                print(f"docs/screenshots/{lang}: dashboard, cashier, alerts, survey", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
