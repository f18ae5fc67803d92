"""A real uvicorn server on a loopback port the OS picks, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from sync_server.app import create_app
from sync_server.settings import ServerSettings

START_DEADLINE_S = 30.0


@contextmanager
def running_server(settings: ServerSettings, app: FastAPI | None = None) -> Iterator[str]:
    """Serve ``app`` (default ``create_app(settings)``); yield its base URL; shut it down."""
    # Bind first and hand the socket to uvicorn: no window in which the port is free.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app or create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        _wait_until_started(server, thread)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=START_DEADLINE_S)
        listener.close()


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + START_DEADLINE_S
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server stopped during start-up; see its log above")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start within {START_DEADLINE_S:.0f} s")
        time.sleep(0.02)
