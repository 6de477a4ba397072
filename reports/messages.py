"""The product's words: every sentence the committee reads (and the command line's), keyed.

The words live in gettext catalogues managed with Babel, one per language:
`reports/locale/<lang>/LC_MESSAGES/budget_monitor.po`. Message ids are keys (`footer.page`), the
translations carry {placeholders} filled in with `str.format`; German and English have the same
ids and placeholders (a test checks). The .po files are read with Babel when a language is first
used, not compiled to .mo: Babel is a dependency anyway, there is no build step that a fresh
`pip install .` or a checkout could miss, and no binary copy that can drift from its source.

Messages are plain text: the PDF builder escapes them, so a district called "Nord & Süd" cannot
break the layout, and bold or italics come from paragraph styles. Values are formatted (numbers,
money, dates) before they are put into a message. The evaluation's caveats are put into
these words from their codes by `reports.caveats`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from babel.messages.pofile import read_po

DOMAIN = "budget_monitor"
LANGUAGES: tuple[str, ...] = ("de", "en")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalogue_path(lang: str) -> Path:
    """The .po file of one language."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Key -> text of one language, read once from its .po file. A message without a translation
    (empty or fuzzy) is left out, so that using it fails loudly instead of printing the key."""
    if lang not in LANGUAGES:
        raise ValueError(f"no message catalogue for language {lang!r}")
    with catalogue_path(lang).open("rb") as handle:
        parsed = read_po(handle, locale=lang, domain=DOMAIN, abort_invalid=True)
    return MappingProxyType(
        {
            str(message.id): str(message.string)
            for message in parsed
            if message.id and message.string and not message.fuzzy
        }
    )


# Cited in the method notes; titles are not translated.
REFERENCES: tuple[str, ...] = (
    "Arkhangelsky, D., Athey, S., Hirshberg, D. A., Imbens, G. W. & Wager, S. (2021). "
    "Synthetic Difference-in-Differences. American Economic Review 111(12), 4088–4118.",
    "Bloom, H. S. (1995). Minimum Detectable Effects: A Simple Way to Report the Statistical "
    "Power of Experimental Designs. Evaluation Review 19(5), 547–556.",
    "Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-Differences with multiple time "
    "periods. Journal of Econometrics 225(2), 200–230.",
    "Cameron, A. C., Gelbach, J. B. & Miller, D. L. (2008). Bootstrap-based improvements for "
    "inference with clustered errors. Review of Economics and Statistics 90(3), 414–427.",
    "MacKinnon, J. G. & Webb, M. D. (2017). Wild bootstrap inference for wildly different "
    "cluster sizes. Journal of Applied Econometrics 32(2), 233–254.",
    "MacKinnon, J. G. & Webb, M. D. (2020). Randomization inference for difference-in-differences "
    "with few treated clusters. Journal of Econometrics 218(2), 435–450.",
    "Rambachan, A. & Roth, J. (2023). A More Credible Approach to Parallel Trends. Review of "
    "Economic Studies 90(5), 2555–2591.",
    "Roth, J., Sant'Anna, P. H. C., Bilinski, A. & Poe, J. (2023). What's trending in "
    "difference-in-differences? A synthesis of the recent econometrics literature. Journal of "
    "Econometrics 235(2), 2218–2244.",
)


def placeholders(message: str) -> set[str]:
    """The {names} a message expects."""
    return {field for _, field, _, _ in string.Formatter().parse(message) if field}


@dataclass(frozen=True)
class Messages:
    """The catalogue of one language: `t("footer.page", page=1, pages=9)`."""

    lang: str = "de"

    def __post_init__(self) -> None:
        catalogue(self.lang)  # an unknown language, or a broken .po file, fails here

    def __call__(self, key: str, /, **values: object) -> str:
        return catalogue(self.lang)[key].format(**values)

    def has(self, key: str) -> bool:
        return key in catalogue(self.lang)
