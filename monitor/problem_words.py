"""An import's problems in the reader's words (issue 16 item 1).

imports/ says what is wrong as a code and its values (`imports.problems.Problem`); this is where
the front door words it from the catalogue ("problem.<code>"), German by default, the same way
reports.caveats words the evaluation's caveats. A document that carries only an English `message`
(an older one, or a text not yet coded) is shown as it is, so nothing is ever dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from imports.problems import QUANTITIES, Problem
from imports.readers import FileRefused
from ledger.constant_prices import NoPriceIndex
from ledger.tagging import AmbiguousPostings
from reports.formatting import LocaleFormat
from reports.messages import Messages


def problem_key(code: str) -> str:
    """The catalogue's message id for an import problem's code."""
    return f"problem.{code}"


def worded_problem(problem: Problem | Mapping[str, Any], words: Messages) -> str:
    """A problem (or its JSON document, {code, values, parts}) in the catalogue's words."""
    document = problem.to_dict() if isinstance(problem, Problem) else problem
    return _worded(document, words, LocaleFormat(words.lang))


def _worded(document: Mapping[str, Any], words: Messages, fmt: LocaleFormat) -> str:
    values = {
        name: (
            _worded(value, words, fmt)
            if isinstance(value, Mapping)
            else fmt.money(Decimal(value) / 100)
            if name.endswith("_cents")
            else fmt.integer(value)
            if name in QUANTITIES and isinstance(value, int) and not isinstance(value, bool)
            else value
        )
        for name, value in (document.get("values") or {}).items()
    }
    parts = [_worded(part, words, fmt) for part in document.get("parts") or ()]
    joiner = str(document.get("joiner", "\n"))
    return joiner.join([words(problem_key(document["code"]), **values), *parts])


def verify_text(problem: Mapping[str, Any], words: Messages) -> str:
    """A problem `verify` found (ledger.verify_problems) in the catalogue's words
    ("verify.<code>"); one without a code (an older document) by its English message."""
    if "code" not in problem or not words.has(f"verify.{problem['code']}"):
        return str(problem.get("message", ""))
    return _verify_words(problem["code"], problem.get("values") or {}, words)


def verify_part(said: Mapping[str, Any], words: Messages) -> str:
    """A part of a verification problem ({code, values}) in the catalogue's words."""
    return _verify_words(said["code"], said.get("values") or {}, words)


def _verify_words(code: str, values: Mapping[str, Any], words: Messages) -> str:
    plain = {
        name: _verify_words(v["code"], v.get("values") or {}, words)
        if isinstance(v, Mapping)
        else v
        for name, v in values.items()
    }
    return words(f"verify.{code}", **plain)


def _ambiguous(exc: AmbiguousPostings, words: Messages) -> str:
    """Postings two measures claim: how many, and the first of them."""
    lines = [
        words(
            "cli.error.ambiguous_posting",
            posting=row.posting_id,
            account=row.account,
            cost_center=row.cost_center,
            day=LocaleFormat(words.lang).day(row.booking_date)
            if isinstance(row.booking_date, date)
            else row.booking_date,
            measures=row.measures,
        )
        for row in exc.examples.itertuples()
    ]
    return "\n".join([words("cli.error.ambiguous", count=exc.count), *lines])


def error_text(error: Mapping[str, Any], words: Messages) -> str:
    """A row error's text (its `to_dict()`): worded from its problem, else its message."""
    problem = error.get("problem")
    return worded_problem(problem, words) if problem else str(error.get("message", ""))


def refusal_text(exc: Exception, words: Messages, *, named: bool = True) -> str:
    """Why an import refused a whole file (`FileRefused`, `ProblemError`), or the ledger a
    figure (`AmbiguousPostings`, `NoPriceIndex`), in the reader's words where it says so as
    data; its English message otherwise. `named`: a FileRefused's text begins with the file's
    name (leave it out where the caller names the file)."""
    if isinstance(exc, AmbiguousPostings):
        return _ambiguous(exc, words)
    if isinstance(exc, NoPriceIndex):
        return words(f"cli.error.prices.{exc.code}", **exc.values)
    problem = getattr(exc, "problem", None)
    if not isinstance(problem, Problem):
        return exc.message if isinstance(exc, FileRefused) and not named else str(exc)
    if isinstance(exc, FileRefused) and named:
        problem = Problem("in_file", {"file": exc.path.name, "detail": problem})
    return worded_problem(problem, words)
