"""API keys: created once (the plain key is shown then and never stored), listed, revoked, verified by hash.

A key is ``rqa_`` + 43 URL-safe random characters (256 bits), so a plain sha256 is a safe, fast hash:
verifying a request costs one hash and one indexed lookup (cached by the API for a few seconds).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from reportqa.errors import ReportQAError
from reportqa.store import SCOPES
from reportqa.store.db import Database
from reportqa.store.tables import api_keys, as_utc, utcnow

KEY_PREFIX = "rqa_"
_NAME = re.compile(r"^[\w.@:-]{1,100}$")


class KeyNotFound(ReportQAError):
    status_code = 404


class KeyExists(ReportQAError):
    status_code = 409


class BadKeyRequest(ReportQAError):
    status_code = 422


class ApiKey(BaseModel):
    """A stored API key (never the key itself)."""

    id: int = Field(description="Row id; `reportqa keys revoke ID` accepts it.")
    name: str = Field(description="Who or what uses the key (unique, never reused).")
    prefix: str = Field(description="The key's first characters, to recognise it.")
    scopes: list[str] = Field(default_factory=list, description="Extra rights: 'admin' for /v1/admin/*.")
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = Field(default=None, description="Last verified use (updated at most every few seconds per process).")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _record(row: object) -> ApiKey:
    m = row._mapping  # type: ignore[attr-defined]
    return ApiKey(
        id=m["id"], name=m["name"], prefix=m["prefix"], scopes=[s for s in m["scopes"].split(",") if s],
        created_at=as_utc(m["created_at"]), revoked_at=as_utc(m["revoked_at"]), last_used_at=as_utc(m["last_used_at"]),
    )


def hash_key(key: str) -> str:
    """sha256 hex of a plain key (what the database stores)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise BadKeyRequest(f"key name {name!r} is not valid — use 1-100 letters, digits, '.', '_', '-', '@' or ':' (e.g. portal-prod)")
    if name.isdigit():
        raise BadKeyRequest(f"key name {name!r} is all digits, which `keys revoke` would read as an id — add a letter")
    return name


def _check_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise BadKeyRequest(f"unknown scope {unknown[0]!r} — known scopes: {', '.join(SCOPES)}")
    return sorted(set(scopes))


def create_key(db: Database, name: str, scopes: list[str] | tuple[str, ...] = ()) -> tuple[ApiKey, str]:
    """Store a new key under ``name``; return its record and the plain key (shown once, never stored)."""
    name, scopes = _check_name(name), _check_scopes(scopes)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    values = {"name": name, "key_hash": hash_key(key), "prefix": key[:12], "scopes": ",".join(scopes), "created_at": utcnow()}
    try:
        with db.write() as conn:
            new_id = conn.execute(api_keys.insert().values(**values)).inserted_primary_key[0]
    except IntegrityError as err:
        raise KeyExists(f"a key named {name!r} already exists (names are never reused, even after revoking) — choose another name") from err
    return ApiKey(id=new_id, **{k: v for k, v in values.items() if k != "key_hash"} | {"scopes": scopes}), key


def list_keys(db: Database) -> list[ApiKey]:
    """Every key, active and revoked, oldest first."""
    if not db.exists():
        return []
    with db.read() as conn:
        return [_record(r) for r in conn.execute(select(api_keys).order_by(api_keys.c.id))]


def revoke_key(db: Database, name_or_id: str) -> ApiKey:
    """Revoke a key by name or id (idempotent); raise KeyNotFound naming `reportqa keys list`."""
    column = api_keys.c.id if name_or_id.isdigit() else api_keys.c.name
    value: int | str = int(name_or_id) if name_or_id.isdigit() else name_or_id
    with db.write() as conn:
        row = conn.execute(select(api_keys).where(column == value)).first()
        if row is None:
            raise KeyNotFound(f"no key {name_or_id!r} — `reportqa keys list` shows the names and ids")
        if row.revoked_at is None:
            conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(revoked_at=utcnow()))
            row = conn.execute(select(api_keys).where(api_keys.c.id == row.id)).first()
    return _record(row)


def find_key(db: Database, key: str) -> ApiKey | None:
    """The stored key matching a plain key (active or revoked), or None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200 or not db.exists():
        return None
    digest = hash_key(key)
    with db.read() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return _record(row)


def has_keys(db: Database) -> bool:
    """True once any key was created, revoked ones included (without creating the database).

    The API is open only while this is False: revoking every key closes it rather than reopening it.
    """
    if not db.exists():
        return False
    with db.read() as conn:
        return bool(conn.execute(select(exists().select_from(api_keys))).scalar())


def touch_key(db: Database, key_id: int, when: datetime | None = None) -> None:
    """Record a use of the key."""
    with db.write() as conn:
        conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=when or utcnow()))
