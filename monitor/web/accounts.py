"""Adding a user, the same for `budget-monitor user add` and the admin page of the atlas: the
name's length, the password's minimum length and a taken name refused in the same words."""

from __future__ import annotations

from sqlalchemy import Engine

from ledger.web_accounts import Account, UserExists, add_user
from ledger.web_models import WEB_ROLES
from monitor.context import UserError
from monitor.web.passwords import MIN_PASSWORD_LENGTH, hash_password
from reports.messages import Messages


def checked_name(words: Messages, name: str) -> str:
    """The name without surrounding blanks; UserError where it is empty or too long."""
    name = name.strip()
    if not name or len(name) > 100:
        raise UserError(words("cli.user.bad_name"))
    return name


def add_checked_user(
    engine: Engine, words: Messages, name: str, role: str, password: str
) -> Account:
    """The new user (password stored as its Argon2 hash); UserError, nothing added, for an
    empty or too long name, an unknown role, a short password or a taken name."""
    name = checked_name(words, name)
    if role not in WEB_ROLES:
        raise UserError(words("cli.user.role"))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(words("cli.user.short_password", minimum=MIN_PASSWORD_LENGTH))
    try:
        return add_user(engine, name, role, hash_password(password))
    except UserExists:
        raise UserError(words("cli.user.exists", name=name)) from None
