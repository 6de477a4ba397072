"""The committee report's message catalogue: every sentence the committee reads, keyed.

`CATALOGUE["de"]` (reports.catalogue_de) and `CATALOGUE["en"]` (reports.catalogue_en) hold the
same keys with the same {placeholders} (a test checks both). Messages are plain text: the PDF
builder escapes them, so a district called "Nord & Süd" cannot break the layout, and bold or
italics come from paragraph styles. Values are formatted (numbers, money, dates) before they are
put into a message. The evaluation's English caveats are put into these words by
`reports.caveats`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from reports.catalogue_de import DE
from reports.catalogue_en import EN

CATALOGUE: dict[str, dict[str, str]] = {"de": DE, "en": EN}

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
        if self.lang not in CATALOGUE:
            raise ValueError(f"no message catalogue for language {self.lang!r}")

    def __call__(self, key: str, /, **values: object) -> str:
        return CATALOGUE[self.lang][key].format(**values)

    def has(self, key: str) -> bool:
        return key in CATALOGUE[self.lang]
