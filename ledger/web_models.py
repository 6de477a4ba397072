"""The web atlas's own tables: its users, their sessions and the access log (SPEC §10).

None of these rows is a figure or the source of one, so they stand outside the hash chain and
the trip wire: removing a user or ending a session changes no number. The access log names the
user by name, not by key, so that it still says who exported what after the user is removed.
A session is stored by the SHA-256 of its token (the browser holds the token itself): a copy of
the database does not hand out sessions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base

# Each role sees what the ones before it see, and more (SPEC §10).
WEB_ROLES = ("committee", "auditor", "finance", "admin")


class WebUser(Base):
    """One person who may sign in: name, role and the password's Argon2 hash."""

    __tablename__ = "web_user"
    __table_args__ = (CheckConstraint(f"role IN {WEB_ROLES!r}", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser: until `expires_at` (moved on with each request), with its own CSRF
    token for the forms it posts."""

    __tablename__ = "web_session"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebAccess(Base):
    """Who exported, downloaded or uploaded what, and when (the issue's access log)."""

    __tablename__ = "web_access"
    __table_args__ = (Index("ix_web_access_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(1000))
    detail: Mapped[str] = mapped_column(Text)
