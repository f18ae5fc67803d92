"""The customer-facing display: a second window that follows the sale the cashier rings up.

It reads the same ``SaleSession`` the checkout screen drives (one sale, two windows): the
lines and what they cost, the total to pay in large type, the bonus — the customer's name
and balance, what they spend and what they will earn — or, with no card attached, an
invitation to join. A card issued in this sale (registration, a lost card replaced) is
shown as its QR code for the customer to photograph: the till scans it back from a phone's
screen as from the plastic card. After the sale it thanks the customer, shows the change
and asks how they were served: 1 to 5 and a few reasons, on big touch targets; *Send*
records the vote for that receipt and its cashier (``record_vote``, once per receipt). The
next sale puts the survey away. It opens on the second screen when there is one (full
screen), else as a window that can be moved there. It takes no keys: the cashier's window
keeps the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hardware.card_qr import render_card_qr_png
from loyalty_core.survey import MAX_REASONS, SCORES, Reason
from pos_client.services.messages import CompletedSale
from pos_client.tasks import Op, TaskManager
from pos_client.ui.checkout.sale_session import SaleSession
from pos_client.ui.error_text import describe
from pos_client.ui.ports import TillPort

MILLI = 1000
TOUCH_PX = 64  # the smallest side of a button a finger hits


class SurveyPanel(QWidget):
    """1 to 5 and a few reasons for one receipt; *Send* records the vote."""

    def __init__(self, port: TillPort, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("surveyPanel")
        self._port, self._tasks = port, tasks
        self.sale_id: str | None = None
        self.sent = False
        self.question = QLabel(self.tr("How did we serve you?"), self)
        self.question.setObjectName("surveyQuestion")
        self.scores = QButtonGroup(self)
        row = QHBoxLayout()
        for score in SCORES:
            button = self._button(str(score), exclusive=True)
            self.scores.addButton(button, score)
            row.addWidget(button)
        self.reasons: dict[Reason, QPushButton] = {}
        grid = QGridLayout()
        names = self._reason_names()
        for i, reason in enumerate(Reason):
            button = self._button(names[reason], exclusive=False)
            button.toggled.connect(self._limit_reasons)
            self.reasons[reason] = button
            grid.addWidget(button, i // 4, i % 4)
        self.send = self._button(self.tr("Send"), exclusive=False)
        self.send.setCheckable(False)
        self.send.setObjectName("surveySend")
        self.send.clicked.connect(self.submit)
        self.answer = QLabel(self)
        self.answer.setObjectName("surveyAnswer")
        self.answer.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.question)
        column.addLayout(row)
        column.addLayout(grid)
        column.addWidget(self.send)
        column.addWidget(self.answer)
        self.setVisible(False)

    def _button(self, text: str, *, exclusive: bool) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("surveyChoice")  # a chosen one is highlighted (till.qss)
        button.setCheckable(True)
        button.setMinimumSize(TOUCH_PX, TOUCH_PX)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _reason_names(self) -> dict[Reason, str]:
        return {
            Reason.POLITE: self.tr("polite"),
            Reason.FAST: self.tr("fast"),
            Reason.HELPFUL: self.tr("helpful"),
            Reason.OFFERED_CARD: self.tr("offered the card"),
            Reason.SLOW: self.tr("slow"),
            Reason.IMPOLITE: self.tr("impolite"),
            Reason.MISTAKE: self.tr("a mistake"),
        }

    def _limit_reasons(self) -> None:
        chosen = [b for b in self.reasons.values() if b.isChecked()]
        for button in self.reasons.values():
            button.setEnabled(button.isChecked() or len(chosen) < MAX_REASONS)

    def ask(self, sale_id: str) -> None:
        self.sale_id, self.sent = sale_id, False
        self.scores.setExclusive(False)
        for button in (*self.scores.buttons(), *self.reasons.values()):
            button.setChecked(False)
            button.setEnabled(True)
        self.scores.setExclusive(True)
        self.send.setEnabled(True)
        self.answer.clear()
        self.setVisible(True)

    def submit(self) -> None:
        score, sale_id = self.scores.checkedId(), self.sale_id
        if sale_id is None or self.sent:
            return
        if score not in SCORES:
            self.answer.setText(self.tr("Tap a number from 1 to 5 first."))
            return
        reasons = [r.value for r, b in self.reasons.items() if b.isChecked()]
        self.sent = True
        self.send.setEnabled(False)

        def recorded(_none: None) -> None:
            if self.sale_id == sale_id:
                self.answer.setText(self.tr("Thank you for your rating!"))

        def refused(exc: Exception) -> None:
            if self.sale_id == sale_id:
                self.answer.setText(describe(exc))

        Op(self._tasks, lambda: self._port.record_vote(sale_id, score, reasons)).success(
            recorded
        ).failure(refused).run()


class CustomerDisplay(QWidget):
    def __init__(
        self,
        session: SaleSession,
        port: TillPort,
        tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("For the customer"))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._session = session
        self.lines = QListWidget(self)
        self.lines.setObjectName("displayLines")
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.total = QLabel(self)
        self.total.setObjectName("displayTotal")
        self.total.setWordWrap(True)
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.bonus = QLabel(self)
        self.bonus.setObjectName("displayBonus")
        self.bonus.setWordWrap(True)
        self.survey = SurveyPanel(port, tasks, self)
        self.card = QLabel(self)
        self.card.setObjectName("displayCard")
        self.card.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card_caption = QLabel(self)
        self.card_caption.setObjectName("displayCardCaption")
        self.card_caption.setWordWrap(True)
        self.card_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._card_of: str | None = None  # the customer whose new card is shown
        column = self._column = QVBoxLayout(self)
        column.addWidget(self.lines, 1)
        column.addWidget(self.card)
        column.addWidget(self.card_caption)
        column.addWidget(self.total)
        column.addWidget(self.bonus)
        column.addWidget(self.survey)
        self._hide_card()
        session.card_issued.connect(self.show_card)
        session.changed.connect(self.refresh)
        session.quote_shown.connect(lambda _receipt: self.refresh())
        session.sale_completed.connect(self.thank)
        self.refresh()

    def place(self) -> None:
        """Full screen on the second screen when there is one; otherwise a movable window."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[1].geometry())
            self.showFullScreen()
        else:
            self.resize(640, 480)
            self.show()

    def show_card(self, customer_id: str, number: str) -> None:
        """The new card's QR code, big enough for a phone's camera, with its last digits."""
        image = QPixmap()
        image.loadFromData(render_card_qr_png(number, box_size=6), "PNG")
        self.card.setPixmap(image)
        self.card_caption.setText(
            self.tr(
                "Your loyalty card ending {digits}: take a photo of this code and show it"
                " at the till next time."
            ).format(digits=number[-4:])
        )
        self._card_of = customer_id
        self.card.show()
        self.card_caption.show()

    def _hide_card(self) -> None:
        self._card_of = None
        self.card.hide()
        self.card_caption.hide()

    def refresh(self) -> None:
        session, fmt = self._session, self._session.formats
        receipt = session.receipt
        customer_now = session.customer.customer.id if session.customer else None
        if self._card_of is not None and customer_now != self._card_of:
            self._hide_card()  # another customer (or none): their card is not to be shown
        if not session.cart.is_empty:
            self.survey.setVisible(False)  # the next customer: the last one's survey goes
        self.lines.clear()
        self._show_lines(not session.cart.is_empty)
        for item in session.cart.items():
            whole, rest = divmod(item.quantity_milli, MILLI)
            count = str(whole) if not rest else f"{whole},{rest:03d}"
            self.lines.addItem(f"{item.name}   {count} × {fmt.money(item.unit_price)}")
        if session.cart.is_empty:
            if self.survey.isVisible():
                return  # the survey waits for the customer who just paid
            self.total.setText(self.tr("Welcome!"))
        elif receipt is not None:
            self.total.setText(self.tr("To pay: {sum}").format(sum=fmt.money(receipt.to_pay)))
        customer = session.customer
        if customer is None:
            self.bonus.setText(
                self.tr("Join our loyalty program: bonus on every purchase. Ask the cashier.")
            )
            return
        name = customer.customer.name or self.tr("dear customer")
        parts = [
            self.tr("Hello, {name}! Your bonus: {points}").format(
                name=name, points=fmt.points(customer.balance.available)
            )
        ]
        if receipt is not None and receipt.redeemed:
            parts.append(self.tr("spent now: {points}").format(points=fmt.points(receipt.redeemed)))
        if receipt is not None and receipt.earned:
            parts.append(
                self.tr("you will earn: {points}").format(points=fmt.points(receipt.earned))
            )
        self.bonus.setText(" · ".join(parts))

    def _show_lines(self, shown: bool) -> None:
        """The lines while there are some; with none (welcome, thanks) the large text takes
        their place at the top instead of an empty white box."""
        self.lines.setVisible(shown)
        self._column.setStretchFactor(self.total, 0 if shown else 1)
        self.total.setAlignment(
            Qt.AlignmentFlag.AlignRight if shown else Qt.AlignmentFlag.AlignCenter
        )
        self.bonus.setAlignment(
            Qt.AlignmentFlag.AlignLeft if shown else Qt.AlignmentFlag.AlignHCenter
        )

    def thank(self, sale: CompletedSale) -> None:
        fmt = self._session.formats
        self.lines.clear()
        self._show_lines(False)
        text = self.tr("Thank you for your purchase!")
        if sale.payment is not None and sale.payment.change:
            text += "\n" + self.tr("Your change: {sum}").format(sum=fmt.money(sale.payment.change))
        self.total.setText(text)
        balance = sale.balance_after
        if balance is not None:
            text = self.tr("Your bonus now: {points}").format(points=fmt.points(balance.available))
            if balance.pending:  # earned, not spendable yet: say so, or 0 looks like nothing
                text += ", " + self.tr("+{points} on its way, from {date}").format(
                    points=fmt.points(balance.pending_total),
                    date=fmt.day(balance.pending[0].activates_at),
                )
            self.bonus.setText(text)
        else:
            self.bonus.clear()
        self.survey.ask(sale.sale_id)
