"""The service database: SQLAlchemy 2 Core over SQLite (default, a file in ``data_dir``) or PostgreSQL (by URL).

    db = database_for(settings)          # one per URL per process; nothing touches the disk yet
    with db.write() as conn: ...         # one transaction; the schema is created on first use

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with ``BEGIN IMMEDIATE``:
concurrent writers (threads or processes) wait for each other instead of failing. PostgreSQL creates
its schema under an advisory lock, so replicas starting together do not race. Schema creation is one
transaction on both: a database is either fully set up or untouched.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from reportqa.errors import ReportQAError
from reportqa.settings import Settings
from reportqa.store.tables import SCHEMA_VERSION, metadata, schema_version

SQLITE_FILE = "reportqa.db"
BUSY_TIMEOUT_MS = 30_000
_PG_SCHEMA_LOCK = 0x52514153  # 'RQAS': advisory lock id held while creating the schema


class DatabaseError(ReportQAError):
    """The service database cannot be opened or written."""

    status_code = 503


def database_url(settings: Settings) -> str:
    """``db.url`` when set, else the SQLite file in ``data_dir``."""
    if settings.db.url:
        return settings.db.url
    return f"sqlite:///{Path(settings.data_dir).resolve() / SQLITE_FILE}"


class Database:
    """One engine and its lazily created schema."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError as err:
            raise DatabaseError(f"database URL {url!r} is not valid — set REPORTQA_DB__URL to e.g. postgresql+psycopg://user:password@host/dbname") from err
        self.url = parsed
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self._schema_ready = False
        self._lock = threading.Lock()
        try:
            self.engine = self._sqlite_engine() if self.is_sqlite else create_engine(parsed, pool_pre_ping=True)
        except (NoSuchModuleError, ModuleNotFoundError) as err:
            raise DatabaseError(f"no driver for {parsed.drivername!r} — use sqlite or postgresql+psycopg:// (psycopg 3 is installed with reportqa)") from err

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for a server database (or SQLite in memory)."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    def exists(self) -> bool:
        """False when the database is certainly empty (SQLite file not created yet); never creates anything."""
        path = self.sqlite_path
        return path is None or path.exists()

    def _sqlite_engine(self) -> Engine:
        engine = create_engine(self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below control transactions (DDL included)
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _wal(cur)
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")

        return engine

    def ensure_schema(self) -> None:
        """Create the tables if missing (one transaction; safe when several processes start at once)."""
        if self._schema_ready:
            return
        with self._lock:
            if self._schema_ready:
                return
            path = self.sqlite_path
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect(immediate=True) as conn, conn.begin():
                if not self.is_sqlite and conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_SCHEMA_LOCK})
                metadata.create_all(conn, checkfirst=True)
                found = conn.execute(select(schema_version.c.version)).scalar()
                if found is None:
                    conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
                elif found > SCHEMA_VERSION:
                    raise DatabaseError(f"the database has schema version {found}, newer than this reportqa ({SCHEMA_VERSION}) — upgrade reportqa")
            self._schema_ready = True

    @contextmanager
    def _connect(self, *, immediate: bool) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn.execution_options(immediate=True) if immediate else conn
        except OperationalError as err:
            where = self.sqlite_path or self.url.render_as_string(hide_password=True)
            raise DatabaseError(f"database {where} is not reachable ({err.orig}) — check REPORTQA_DB__URL / REPORTQA_DATA_DIR") from err

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (committed on success, rolled back on error); creates the schema on first use."""
        self.ensure_schema()
        with self._connect(immediate=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction; creates the schema on first use."""
        self.ensure_schema()
        with self._connect(immediate=False) as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def _wal(cur: Any) -> None:
    """Put the SQLite file in WAL mode (persistent: a file already in it is left alone). Switching needs the file
    to itself, and SQLite may answer 'database is locked' at once rather than wait while another process is creating
    the same file: retry until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def database_for(settings: Settings) -> Database:
    """The process's Database for ``settings`` (one engine per URL)."""
    url = database_url(settings)
    with _databases_lock:
        db = _databases.get(url)
        if db is None:
            db = _databases[url] = Database(url)
        return db
