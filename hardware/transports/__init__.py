"""How job bytes reach a printer: one small class per link, all with the same four methods."""

from hardware.transports.base import Transport

__all__ = ["Transport"]
