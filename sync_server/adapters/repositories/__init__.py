"""SQL implementations of the repository ports in ``sync_server.services``."""
