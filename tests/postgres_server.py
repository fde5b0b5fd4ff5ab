"""A throwaway PostgreSQL server for the tests: initdb into a temp dir, start on a free port, stop and delete.

Uses Debian's ``postgresql`` package (``scripts/apt-packages.txt``). PostgreSQL refuses to run as root, so
as root the server runs as the ``postgres`` user the package creates (``runuser -u postgres``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PORTS = range(55432, 55440)  # this service's test range; any free port when all are taken
SUPERUSER = "reportqa"


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl (on PATH, or the newest /usr/lib/postgresql/*/bin)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    for port in [*PORTS, 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError("no free port")


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int
    as_user: str | None

    @property
    def data(self) -> Path:
        return self.root / "data"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a server binary (as the server's user when we are root); raise with its output on failure."""
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode != 0:
            log = (self.root / "server.log").read_text() if (self.root / "server.log").exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr or done.stdout}\n{log[-2000:]}")
        return done

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a fresh server; stop it and delete its files afterwards."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL server binaries not found — install Debian's 'postgresql' package (scripts/apt-packages.txt)")
    as_user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="reportqa-pg-"))
    if as_user:
        entry = pwd.getpwnam(as_user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bindir, root, _free_port(), as_user)
    started = False
    try:
        server.run("initdb", "-D", str(server.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C")
        options = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        server.run("pg_ctl", "-D", str(server.data), "-o", options, "-l", str(root / "server.log"), "-w", "-t", "60", "start")
        started = True
        yield server
    finally:
        if started:
            try:
                server.run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(root, ignore_errors=True)
