"""A receipt on screen, exactly as the printer lays it out (the same document, as text)."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from hardware.receipt import ReceiptDocument
from hardware.receipt_layout import layout_receipt

PREVIEW_COLUMNS = 42  # an 80 mm printer's usual width in font A


class ReceiptPreview(QDialog):
    def __init__(
        self, doc: ReceiptDocument, parent: QWidget | None = None, columns: int = PREVIEW_COLUMNS
    ) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPreview")
        self.setWindowTitle(self.tr("Receipt"))
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("receiptText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(layout_receipt(doc, columns).as_text())
        width = self.text.fontMetrics().horizontalAdvance("M" * (columns + 4))
        self.text.setMinimumWidth(width)
        self.text.setMinimumHeight(480)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
