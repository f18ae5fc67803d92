"""The checkout screen and its parts: scan bar, cart table, customer panel, totals."""
