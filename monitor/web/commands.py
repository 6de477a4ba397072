"""`budget-monitor web` and `budget-monitor user add|list|remove` (SPEC §10).

`web` imports the web stack (Starlette, Jinja2, uvicorn) only when it runs; `user` needs only the
password hasher.
"""

from __future__ import annotations

import sys

import click

from ledger.web_accounts import UnknownUser, list_users, remove_user
from ledger.web_models import WEB_ROLES
from monitor.context import AppContext, UserError
from monitor.options import json_option
from monitor.web.accounts import add_checked_user, checked_name
from monitor.worded import WordedArgument, WordedCommand, WordedGroup, WordedOption


@click.command("web", cls=WordedCommand, help="cli.web.help")
@click.option(
    "--host", default="127.0.0.1", show_default=True, cls=WordedOption, help="cli.web.host"
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    cls=WordedOption,
    help="cli.web.port",
)
@click.pass_obj
def web_command(app: AppContext, host: str, port: int) -> None:
    """Serve the Sozialatlas over HTTP until stopped (help for users: `cli.web.help`)."""
    import uvicorn

    from monitor.web.app import create_app

    atlas = create_app(app.settings, app.database_url)
    click.echo(app.words("cli.web.serving", url=f"http://{host}:{port}/"), err=True)
    # proxy_headers: the city's reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    uvicorn.run(
        atlas, host=host, port=port, proxy_headers=True, server_header=False, log_level="warning"
    )


@click.group("user", cls=WordedGroup, help="cli.user.help")
def user_group() -> None:
    """Who may sign in to the web atlas (help for users: `cli.user.help`)."""


@user_group.command("add", cls=WordedCommand, help="cli.user.add.help")
@click.argument("name", cls=WordedArgument, metavar="cli.metavar.name")
@click.option(
    "--role", type=click.Choice(WEB_ROLES), required=True, cls=WordedOption, help="cli.user.role"
)
@json_option
@click.pass_obj
def user_add_command(app: AppContext, name: str, role: str, json_output: bool) -> None:
    """Add a user; the password is read from standard input (typed twice on a terminal)."""
    words = app.words
    name = checked_name(words, name)  # before the password is asked for
    password = _read_password(words("cli.user.password_prompt"))
    account = add_checked_user(app.engine, words, name, role, password)
    if json_output or app.json_output:
        app.emit_json(account.to_dict())
        return
    click.echo(words("cli.user.added", name=account.name, role=words(f"web.role.{role}")))


@user_group.command("list", cls=WordedCommand, help="cli.user.list.help")
@json_option
@click.pass_obj
def user_list_command(app: AppContext, json_output: bool) -> None:
    """List the users and their roles (never their passwords)."""
    accounts = list_users(app.engine)
    if json_output or app.json_output:
        app.emit_json({"users": [account.to_dict() for account in accounts]})
        return
    t = app.terminal
    if not accounts:
        click.echo(t("cli.user.none"))
        return
    table = t.table(
        t("cli.user.title", count=t.count(len(accounts))),
        [
            (t("cli.user.column.name"), "text"),
            (t("cli.user.column.role"), "text"),
            (t("cli.user.column.created"), "fixed"),
        ],
    )
    for account in accounts:
        table.add_row(account.name, t(f"web.role.{account.role}"), t.day(account.created_at.date()))
    t.print_table(table)


@user_group.command("remove", cls=WordedCommand, help="cli.user.remove.help")
@click.argument("name", cls=WordedArgument, metavar="cli.metavar.name")
@click.pass_obj
def user_remove_command(app: AppContext, name: str) -> None:
    """Remove a user; their sessions end at once."""
    try:
        remove_user(app.engine, name)
    except UnknownUser:
        raise UserError(app.words("cli.user.unknown", name=name)) from None
    click.echo(app.words("cli.user.removed", name=name))


def _read_password(prompt: str) -> str:
    """The password: typed twice, hidden, on a terminal; else the first line of standard input
    (so that a script can pipe it in and it never appears in the process list)."""
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")
