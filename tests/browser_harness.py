"""What the browser tests run against: the app under a real uvicorn server on a free port (the session's real
engine), host pages served by a second tiny HTTP server on another port (another origin), and headless Debian
Chromium driven through /usr/bin/chromedriver (Selenium Manager is never asked to download anything)."""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from reportqa.library import Engine
from reportqa.settings import ApiSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WAIT_S = 60


def require_chromium() -> None:
    """Skip outside CI when the browser is missing; in CI a missing browser is a failure."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return
    message = f"{CHROMIUM} / {CHROMEDRIVER} missing — apt-get install $(cat scripts/apt-packages.txt)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_socket() -> socket.socket:
    """A listening-ready socket on 127.0.0.1 with a port the OS chose."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class RecordAuthorization:
    """ASGI middleware remembering the Authorization header of every chat request (to see the widget's key arrive)."""

    def __init__(self, app: Any, seen: list[str | None]) -> None:
        self.app, self.seen = app, seen

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/chat/completions" and scope["method"] == "POST":
            headers = dict(scope["headers"])
            self.seen.append(headers.get(b"authorization", b"").decode() or None)
        await self.app(scope, receive, send)


@dataclass
class HostPages:
    """A static HTTP server on its own port: a different origin from the API."""

    directory: Path
    server: ThreadingHTTPServer

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.origin}/{name}"

    def page(self, name: str, html: str) -> str:
        """Write ``html`` as ``name`` and return its URL."""
        (self.directory / name).write_text(html, encoding="utf-8")
        return self.url(name)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve_host_pages(directory: Path) -> HostPages:
    directory.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return HostPages(directory, server)


@dataclass
class LiveServer:
    """The API under uvicorn; ``seen_keys`` lists the Authorization headers of chat requests."""

    url: str
    data_dir: Path
    settings: Settings
    allowed_host: HostPages
    other_host: HostPages
    seen_keys: list[str | None] = field(default_factory=list)


def run_live_server(engine: Engine, tmp: Path) -> Iterator[LiveServer]:
    """Start host-page servers (one allowed origin, one not) and the API allowing only the first; stop them after."""
    allowed = serve_host_pages(tmp / "allowed")
    other = serve_host_pages(tmp / "other")
    data_dir = tmp / "data"
    settings = engine.settings.model_copy(update={"data_dir": data_dir, "api": ApiSettings(cors_origins=[allowed.origin])})
    seen: list[str | None] = []
    app = RecordAuthorization(create_app(settings, engine), seen)
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_S
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield LiveServer(f"http://127.0.0.1:{sock.getsockname()[1]}", data_dir, settings, allowed, other, seen)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        for host in (allowed, other):
            host.server.shutdown()
            host.server.server_close()


def chromium(profile: Path, width: int = 1280, height: int = 900) -> Any:
    """Headless Debian Chromium through the system chromedriver, with a throwaway profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--lang=en-US")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors and CSP violations
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT_S)
    return driver


def screenshot(driver: Any, name: str) -> Path:
    """Save the viewport as docs/screenshots/<name>.png (written to a temp file, then renamed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    tmp = target.with_suffix(".png.tmp")
    tmp.write_bytes(driver.get_screenshot_as_png())
    os.replace(tmp, target)
    return target
