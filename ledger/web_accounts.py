"""The web atlas's users, sessions and access log in the ledger database (`ledger.web_models`).

Plain functions over a connection or engine, as the other stores: the web front door decides who
may do what; this module only keeps the rows. Passwords arrive here already hashed
(`monitor.web.passwords`); session tokens arrive in clear and are stored as their SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from ledger.web_models import WEB_ROLES, WebAccess, WebSession, WebUser


class UnknownUser(LookupError):
    """No user of that name."""


class UserExists(ValueError):
    """A user of that name exists already."""


@dataclass(frozen=True)
class Account:
    """A user as the web front door needs one: never the password hash outside `credentials`."""

    id: int
    name: str
    role: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "created": self.created_at.isoformat()}


@dataclass(frozen=True)
class SignedIn:
    """A live session: its user and the CSRF token its forms carry."""

    account: Account
    csrf_token: str
    expires_at: datetime


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything here is written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_digest(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _account(row: Any) -> Account:
    return Account(row.id, row.name, row.role, _aware(row.created_at))


def add_user(engine: Engine, name: str, role: str, password_hash: str) -> Account:
    """A new user; UserExists where the name is taken (names are unique, case as given)."""
    if role not in WEB_ROLES:
        raise ValueError(f"role must be one of {', '.join(WEB_ROLES)}, not {role!r}")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        if connection.execute(select(WebUser.id).where(WebUser.name == name)).first():
            raise UserExists(name)
        new_id = connection.execute(
            insert(WebUser)
            .values(name=name, role=role, password_hash=password_hash, created_at=now)
            .returning(WebUser.id)
        ).scalar_one()
    return Account(int(new_id), name, role, now)


def list_users(engine: Engine) -> list[Account]:
    """Every user, by name."""
    with engine.connect() as connection:
        rows = connection.execute(select(WebUser).order_by(WebUser.name)).all()
    return [_account(row) for row in rows]


def remove_user(engine: Engine, name: str) -> None:
    """Remove a user and end their sessions at once; UnknownUser where there is none."""
    with engine.begin() as connection:
        found = connection.execute(select(WebUser.id).where(WebUser.name == name)).scalar()
        if found is None:
            raise UnknownUser(name)
        connection.execute(delete(WebSession).where(WebSession.user_id == found))
        connection.execute(delete(WebUser).where(WebUser.id == found))


def credentials(engine: Engine, name: str) -> tuple[Account, str] | None:
    """The user of that name and the stored password hash, or None."""
    with engine.connect() as connection:
        row = connection.execute(select(WebUser).where(WebUser.name == name)).first()
    return None if row is None else (_account(row), row.password_hash)


def replace_password_hash(engine: Engine, account: Account, password_hash: str) -> None:
    """Store a rehash (the hashing parameters were raised since the password was set)."""
    with engine.begin() as connection:
        connection.execute(
            update(WebUser).where(WebUser.id == account.id).values(password_hash=password_hash)
        )


def open_session(
    engine: Engine, account: Account, token: str, csrf_token: str, lifetime: timedelta
) -> None:
    """Record a new session for `account` (and drop every expired one while at it)."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(delete(WebSession).where(WebSession.expires_at < now))
        connection.execute(
            insert(WebSession).values(
                token_sha256=token_digest(token),
                user_id=account.id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=now + lifetime,
            )
        )


def live_session(engine: Engine, token: str, lifetime: timedelta) -> SignedIn | None:
    """The session of `token` if it has not expired, its expiry moved to now + `lifetime`
    (an idle session ends, a used one lives on); None for an unknown or expired token."""
    digest = token_digest(token)
    now = datetime.now(UTC)
    with engine.connect() as connection:
        row = connection.execute(
            select(
                WebUser.id,
                WebUser.name,
                WebUser.role,
                WebUser.created_at,
                WebSession.csrf_token,
                WebSession.expires_at,
            )
            .join(WebUser, WebUser.id == WebSession.user_id)
            .where(WebSession.token_sha256 == digest)
        ).first()
    if row is None or _aware(row.expires_at) <= now:
        return None
    expires = now + lifetime
    # Written at most once a minute per session: every page would otherwise be a write.
    if expires - _aware(row.expires_at) > timedelta(minutes=1):
        with engine.begin() as connection:
            connection.execute(
                update(WebSession)
                .where(WebSession.token_sha256 == digest)
                .values(expires_at=expires)
            )
    else:
        expires = _aware(row.expires_at)
    return SignedIn(_account(row), row.csrf_token, expires)


def close_session(engine: Engine, token: str) -> None:
    """End a session (sign out)."""
    with engine.begin() as connection:
        connection.execute(delete(WebSession).where(WebSession.token_sha256 == token_digest(token)))


def log_access(
    engine: Engine, account: Account | None, action: str, path: str, detail: dict[str, Any]
) -> None:
    """One line of the access log: who (or "public"), what, which address, which figures."""
    with engine.begin() as connection:
        connection.execute(
            insert(WebAccess).values(
                at=datetime.now(UTC),
                user_name=account.name if account else "",
                role=account.role if account else "public",
                action=action,
                path=path[:1000],
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
            )
        )


def access_log(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    """The newest lines of the access log, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(WebAccess).order_by(WebAccess.id.desc()).limit(limit)
        ).all()
    return [
        {
            "at": _aware(row.at).isoformat(timespec="seconds"),
            "user": row.user_name,
            "role": row.role,
            "action": row.action,
            "path": row.path,
            "detail": json.loads(row.detail),
        }
        for row in rows
    ]
