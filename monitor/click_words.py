"""Click's own phrases in the invocation's language: "Aufruf:", "Fehler: …", "Es fehlt die Option
'--type'", "Unbekannte Option '--jahr'.", "[Voreinstellung: 1000]" (issue 16 item 1).

Click marks every phrase it shows for translation with gettext (`_("Missing option")`,
`ngettext(...)`), bound in each of its modules as `_` and `ngettext` from the gettext module.
gettext itself would pick the language from process-wide state (the text domain and the
LANGUAGE environment variable) and want compiled .mo files; an invocation's language here is
chosen per invocation (`--lang`, BUDGET_MONITOR_LANG, `[ui] lang`). So `install` binds those
two names, once, to lookups in the catalogue of click's phrases
(`reports/locale/<lang>/LC_MESSAGES/click.po`, message ids are click's English texts) in the
language of the running invocation. English, and any phrase the catalogue lacks, stays click's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType, ModuleType

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils
from babel.messages.pofile import read_po

from monitor.language import invocation_language
from reports.messages import LOCALE_DIR

DOMAIN = "click"
# Click's modules that bind `_` or `ngettext` for the phrases a user of the CLI can see.
_MODULES: tuple[ModuleType, ...] = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
    click.utils,
)

Translation = str | tuple[str, ...]


@cache
def click_catalogue(lang: str) -> Mapping[str | tuple[str, ...], Translation]:
    """Click's English phrase (a (singular, plural) pair for ngettext) → this language's; empty
    for a language without a file (English: click's own words)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return MappingProxyType({})
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang, domain=DOMAIN, abort_invalid=True)
    return MappingProxyType(
        {
            message.id: message.string
            for message in parsed
            if message.id and message.string and not message.fuzzy
        }
    )


def click_gettext(message: str) -> str:
    """`_` for click: the phrase in the invocation's language, else as click wrote it."""
    found = click_catalogue(invocation_language()).get(message)
    return found if isinstance(found, str) else message


def click_ngettext(singular: str, plural: str, n: int) -> str:
    """`ngettext` for click (German and English both say the singular for exactly one)."""
    found = click_catalogue(invocation_language()).get((singular, plural))
    if isinstance(found, tuple) and len(found) == 2:
        return found[0] if n == 1 else found[1]
    return singular if n == 1 else plural


def install() -> None:
    """Bind click's `_` and `ngettext` to the catalogue (idempotent)."""
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]
