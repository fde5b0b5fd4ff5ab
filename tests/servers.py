"""Real uvicorn servers for transport-level tests: in a thread over a loaded engine, or `reportqa serve` in a child process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reportqa.bench_http import free_port, settings_env, wait_ready
from reportqa.library import Engine
from reportqa.loadtest import stop
from reportqa.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


class ThreadServer:
    """A uvicorn server running in a thread of the test process."""

    def __init__(self, server: Any, thread: threading.Thread, port: int) -> None:
        self.server, self.thread, self.port = server, thread, port
        self.address = ("127.0.0.1", port)
        self.url = f"http://127.0.0.1:{port}"

    def shut_down(self) -> None:
        """What SIGTERM does (uvicorn's handle_exit): stop accepting, let in-flight requests finish."""
        self.server.should_exit = True


@contextmanager
def server_in_thread(engine: Engine, **api: Any) -> Iterator[ThreadServer]:
    """``create_app`` over ``engine`` with ``settings.api`` updated by ``api``, served by uvicorn (our protocol) on a free port."""
    import uvicorn

    from api.app import create_app
    from api.protocol import server_config

    settings = engine.settings.model_copy(deep=True)
    settings.api = settings.api.model_copy(update=api)
    port = free_port()
    config = server_config(create_app(settings, engine), settings, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="reportqa-test-server", daemon=True)
    thread.start()
    running = ThreadServer(server, thread, port)
    try:
        wait_ready(running.url, 30, alive=thread.is_alive)
        yield running
    finally:
        running.shut_down()
        thread.join(timeout=30)


@contextmanager
def serve_process(settings: Settings, *args: str, timeout: float = 300) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``reportqa serve --port P *args`` in a child process; yield its base URL and the process; SIGTERM it at the end."""
    port = free_port()
    env = {**os.environ, **settings_env(settings)}
    cmd = [sys.executable, "-m", "reportqa.cli", "serve", "--port", str(port), *args]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(base_url, timeout, alive=lambda: proc.poll() is None)
        yield base_url, proc
    finally:
        stop(proc)


def connect(address: tuple[str, int], timeout: float = 10) -> socket.socket:
    """A raw TCP connection (for requests no HTTP client would send)."""
    sock = socket.create_connection(address, timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_response(sock: socket.socket, timeout: float = 10, close_wait: float = 3) -> tuple[int, dict[str, str], bytes, bool]:
    """Read one HTTP response: status, headers, body, and whether the server closed the connection within ``close_wait`` s."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a response: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    while len(body) < int(headers.get("content-length", 0)):
        body += sock.recv(65536)
    sock.settimeout(close_wait)
    deadline = time.monotonic() + close_wait
    closed = False
    while time.monotonic() < deadline:
        try:
            if sock.recv(65536) == b"":
                closed = True
                break
        except (ConnectionResetError, BrokenPipeError):
            closed = True
            break
        except TimeoutError:
            break
    return status, headers, body, closed
