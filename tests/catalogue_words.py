"""Does the catalogue word every code of an English table (`code → template`) under a prefix?

Codes made outside monitor/ (settings checks, option conflicts) carry an English template for
the Python API; the front door words them from the catalogue. Both must say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping

from reports.messages import catalogue, placeholders


def unworded(prefix: str, english: Mapping[str, str], lang: str) -> list[str]:
    """The codes whose message ("<prefix><code>") is missing, takes other placeholders than
    the English template, or (in English) says something else."""
    words = catalogue(lang)
    return [
        code
        for code, template in english.items()
        if prefix + code not in words
        or placeholders(words[prefix + code]) != placeholders(template)
        or (lang == "en" and words[prefix + code] != template)
    ]
