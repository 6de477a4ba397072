"""Which language this invocation speaks (SPEC §2): `--lang`, then BUDGET_MONITOR_LANG, then
settings `[ui] lang`, then German.

The choice is made once, at the front door, and travels in `AppContext`; nothing below the CLI
reads the environment. Help is shown before the group's callback has run (`budget-monitor
--lang en --help`), so `invocation_language` also works from a bare click context.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import click

from monitor.settings import Settings, SettingsError, load_settings
from reports.messages import LANGUAGES, Messages

LANG_ENV = "BUDGET_MONITOR_LANG"
_META_KEY = "budget_monitor.lang"


@dataclass(frozen=True)
class LanguageChoice:
    lang: str
    # "option", "environment", "settings" or "default": a report rerun keeps its own language
    # unless the user asked for one in this invocation.
    source: str

    @property
    def explicit(self) -> bool:
        return self.source in ("option", "environment")


def choose_language(
    option: str | None, environ: Mapping[str, str], settings: Settings | None
) -> LanguageChoice:
    """option > environment > settings > "de"; an unknown value in the environment is a usage
    error naming the variable (the option is a click.Choice, the settings check their own)."""
    if option:
        return LanguageChoice(option, "option")
    from_environment = environ.get(LANG_ENV, "").strip()
    if from_environment:
        if from_environment not in LANGUAGES:
            # The language is not known yet: said in the default one, German.
            raise click.UsageError(
                Messages("de")(
                    "cli.error.lang_env",
                    variable=f"{LANG_ENV}={from_environment!r}",
                    languages=", ".join(LANGUAGES),
                )
            )
        return LanguageChoice(from_environment, "environment")
    if settings is not None and settings.source is not None:
        return LanguageChoice(settings.ui.lang, "settings")
    return LanguageChoice("de", "default")


def remember_language(ctx: click.Context, lang: str) -> None:
    """Record the invocation's language on the root context, for help shown later in it."""
    ctx.find_root().meta[_META_KEY] = lang


def invocation_language(ctx: click.Context | None = None) -> str:
    """The language of the running invocation, for words shown by click itself (help).

    After the group's callback: the language it chose. Before it (`--help` on the group): the
    same precedence from what is known so far (`--lang` and `--settings` are eager, so they are
    parsed before `--help` when written before it); any problem leaves it German, since help
    must show even where the settings are broken.
    """
    ctx = ctx or click.get_current_context(silent=True)
    if ctx is None:
        return _without_settings()
    root = ctx.find_root()
    if _META_KEY not in root.meta:
        try:
            settings = load_settings(root.params.get("settings_path"))
        except SettingsError:
            settings = None
        try:
            choice = choose_language(root.params.get("lang"), os.environ, settings)
        except click.UsageError:
            choice = LanguageChoice("de", "default")
        root.meta[_META_KEY] = choice.lang
    return str(root.meta[_META_KEY])


def invocation_words(ctx: click.Context | None = None) -> Messages:
    return Messages(invocation_language(ctx))


def _without_settings() -> str:
    lang = os.environ.get(LANG_ENV, "").strip()
    return lang if lang in LANGUAGES else "de"
