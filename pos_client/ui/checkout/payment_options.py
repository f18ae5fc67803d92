"""How the customer pays with loyalty: bonus to spend (none / max / amount) and promo codes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from loyalty_core.receipt import PricedReceipt
from pos_client.services.messages import Redeem
from pos_client.ui.formatting import Formats


class PaymentOptions(QFrame):
    none_chosen = Signal()
    max_chosen = Signal()
    bonus_amount_entered = Signal(str)  # as typed; the screen parses it
    promo_entered = Signal(str)
    promos_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentOptions")
        self.none_button = self._toggle(self.tr("No bonus"))
        self.max_button = self._toggle(self.tr("Max (F4)"))
        self.amount_field = QLineEdit(self)
        self.amount_field.setObjectName("bonusField")
        self.amount_field.setPlaceholderText(self.tr("F5, then type the amount"))
        self.amount_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_field.returnPressed.connect(self._submit_amount)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.none_button)
        group.addButton(self.max_button)
        self._group = group
        self.none_button.setChecked(True)
        self.none_button.clicked.connect(self.none_chosen)
        self.max_button.clicked.connect(self.max_chosen)
        self.bonus_info = QLabel(self)
        self.bonus_info.setObjectName("hint")

        self.promo_field = QLineEdit(self)
        self.promo_field.setObjectName("promoField")
        self.promo_field.setPlaceholderText(self.tr("F6, then type the code"))
        self.promo_field.returnPressed.connect(self._submit_promo)
        self.promos = QLabel(self)
        self.promos.setObjectName("promoList")
        self.clear_promos = QPushButton(self.tr("Remove codes"), self)
        self.clear_promos.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_promos.clicked.connect(self.promos_cleared)

        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.addWidget(self._label(self.tr("Spend bonus:")), 0, 0)
        grid.addWidget(self.none_button, 0, 1)
        grid.addWidget(self.max_button, 0, 2)
        grid.addWidget(self._label(self.tr("Bonus amount:")), 1, 0)
        grid.addWidget(self.amount_field, 1, 1, 1, 2)
        grid.addWidget(self.bonus_info, 2, 0, 1, 3)
        grid.addWidget(self._label(self.tr("Promo code:")), 3, 0)
        grid.addWidget(self.promo_field, 3, 1, 1, 2)
        grid.addWidget(self.promos, 4, 0, 1, 2)
        grid.addWidget(self.clear_promos, 4, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.show_promos(())

    def _toggle(self, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setObjectName("toggleButton")
        return button

    def _label(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("fieldLabel")
        return label

    def focus_amount(self) -> None:
        self.amount_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.amount_field.selectAll()

    def focus_promo(self) -> None:
        self.promo_field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _submit_amount(self) -> None:
        text = self.amount_field.text().strip()
        if text:
            self.bonus_amount_entered.emit(text)
        else:
            self.none_chosen.emit()

    def _submit_promo(self) -> None:
        text = self.promo_field.text().strip()
        if text:
            self.promo_entered.emit(text)
        self.promo_field.clear()

    def show_redeem(self, redeem: Redeem, formats: Formats, applied: int | None = None) -> None:
        """Reflect the chosen mode: the amount field holds a typed amount only — once priced,
        what the engine applied of it (never more than was typed; the hint says why)."""
        self._group.setExclusive(False)
        self.none_button.setChecked(redeem == 0)
        self.max_button.setChecked(redeem == "max")
        self._group.setExclusive(True)
        if isinstance(redeem, int) and redeem > 0:
            shown = redeem if applied is None else min(redeem, applied)
            self.amount_field.setText(formats.points(shown))
        else:
            self.amount_field.clear()

    def show_promos(self, codes: tuple[str, ...], applied: tuple[str, ...] | None = None) -> None:
        """The codes typed; once priced, each one the engine did not apply says so (the
        engine's note says why)."""
        shown = [
            code
            if applied is None or code in applied
            else self.tr("{code} (not applied)").format(code=code)
            for code in codes
        ]
        self.promos.setText(", ".join(shown))
        self.promos.setVisible(bool(codes))
        self.clear_promos.setVisible(bool(codes))

    def show_limits(self, receipt: PricedReceipt | None, has_customer: bool, fmt: Formats) -> None:
        enabled = has_customer
        for widget in (self.none_button, self.max_button, self.amount_field):
            widget.setEnabled(enabled)
        if not has_customer:
            self.bonus_info.setText(self.tr("Identify the customer to spend bonus."))
        elif receipt is None:
            self.bonus_info.setText("")
        else:
            self.bonus_info.setText(self._limit_text(receipt, fmt))

    def _limit_text(self, receipt: PricedReceipt, fmt: Formats) -> str:
        """How much bonus this check can take: the balance, unless a cap or limit is lower."""
        available = receipt.available_before
        if available == 0:
            return self.tr("No bonus to spend yet")
        if receipt.redeem_cap == 0:
            return self.tr("Available {available}; this check cannot be paid with bonus").format(
                available=fmt.points(available)
            )
        most = receipt.redeem_most
        if most == available:
            return self.tr("Available {available}: all of it can go on this check").format(
                available=fmt.points(available)
            )
        return self.tr("Available {available}; this check takes at most {most}").format(
            available=fmt.points(available), most=fmt.points(most)
        )
