"""A synthetic German journal export (Infoma / H&H proDoppik style) as an .xlsx, for benchmarks.

The file looks like what a Kämmerei downloads: a title line with the export time, the header,
one row per posting line and a "Summe" line. Dates and amounts are text as these exports write
them ("31.12.2024", "1.234,56", credits "1.234,56-"); Haushaltsjahr and Zeile are numbers;
account, product and cost-center codes are text so that leading zeros survive.

Rows are made from one seeded random generator, so a given (rows, seed, variant) always gives
the same cells, and files are cached by that key: generating a million rows takes about a minute
with xlsxwriter, reading them back a few seconds. xlsxwriter's constant_memory mode keeps memory
flat but writes inline strings instead of a shared-string table (Excel itself would write one);
calamine reads both.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

FISCAL_YEAR = 2024
HEADER = (
    "Haushaltsjahr",
    "Belegnr.",
    "Zeile",
    "Buchungsdatum",
    "Sachkonto",
    "Produkt",
    "Kostenstelle",
    "Buchungstext",
    "Betrag",
)
# Bump when the generated cells change, so that cached files are not reused across versions.
GENERATOR_VERSION = 1
VARIANTS = ("base", "reexport", "overlap")
NEW_SHARE = 0.01  # overlap: rows added by a later export (new documents)
CHANGED_SHARE = 0.001  # overlap: rows whose amount the finance department corrected

_FIRST_DOCUMENT = 4_100_000_001
_LINES_PER_DOCUMENT = (1, 2, 3, 4, 5, 6, 8, 12)
_LINE_WEIGHTS = (0.34, 0.26, 0.14, 0.09, 0.07, 0.05, 0.03, 0.02)
# NKF chart of accounts: 4 Erträge, 5 Aufwendungen, 6 Einzahlungen, 7 Auszahlungen.
# fmt: off
_ACCOUNT_STEMS = (
    "4011", "4041", "4111", "4141", "4161", "4311", "4321", "4411", "4481", "4611",
    "5011", "5012", "5019", "5021", "5022", "5051", "5211", "5221", "5231", "5241",
    "5251", "5271", "5281", "5291", "5311", "5315", "5318", "5331", "5332", "5333",
    "5338", "5339", "5411", "5421", "5431", "5441", "5451", "5471", "5491", "5711",
    "6141", "6161", "6411", "6421", "7011", "7211", "7281", "7318", "7331", "7831",
)
# fmt: on
_TEXTS = (
    "Miete Kita {name} {month:02d}/{year}",
    "Erstattung Jobcenter Az. {number}/{short}",
    "Zuschuss {name} e.V. lt. Bescheid vom {day:02d}.{month:02d}.{year}",
    "Rechnung {year}-{number:06d} {name} GmbH",
    "Hilfe zur Erziehung § 34 SGB VIII Fall {number}",
    "Eingliederungshilfe Fall {number} {month:02d}/{year}",
    "Bezüge {month:02d}/{year}",
    "Abschlag Strom/Gas {name} {month:02d}/{year}",
    "Unterhaltsvorschuss Rückgriff {number}",
    "Umbuchung lt. Anordnung {number}",
    "Schulbedarf Grundschule {name}",
    "Wohngeld Erstattung Land {month:02d}/{year}",
)
# fmt: off
_NAMES = (
    "Sonnenschein", "Regenbogen", "Am Stadtpark", "Nordstadt", "Lindenhof", "Müller", "Schäfer",
    "Becker & Söhne", "Bürgerverein Süd", "Caritas", "Diakonie", "AWO", "Sportfreunde 09",
    "Stadtwerke", "Weststadt", "Kinderland", "Brückenschule", "Löwenzahn", "Hafenviertel",
)
# fmt: on


@dataclass(frozen=True)
class JournalExport:
    """One generated export: where it is and what a correct import must report."""

    path: Path
    rows: int
    new_rows: int
    changed_rows: int
    total_cents: int


def cache_folder() -> Path:
    """Where generated exports are kept between runs (the system's temp folder)."""
    folder = Path(tempfile.gettempdir()) / "budget-monitor-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def journal_export(rows: int, seed: int, variant: str = "base") -> JournalExport:
    """The cached export for (rows, seed, variant), written first if missing.

    base: `rows` posting lines. reexport: the same lines with a later export time in the title,
    so different bytes (no checksum shortcut) but nothing new. overlap: the same lines with
    CHANGED_SHARE of the amounts corrected, plus NEW_SHARE new lines at the end.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; known: {', '.join(VARIANTS)}")
    path = cache_folder() / f"journal-v{GENERATOR_VERSION}-{rows}-seed{seed}-{variant}.xlsx"
    facts = path.with_suffix(".json")
    if path.exists() and facts.exists():
        return JournalExport(path=path, **json.loads(facts.read_text("utf-8")))
    columns = _posting_columns(rows, seed, variant)
    export = JournalExport(
        path=path,
        rows=len(columns.amount_cents),
        new_rows=len(columns.amount_cents) - rows,
        changed_rows=columns.changed,
        total_cents=int(columns.amount_cents.sum()),
    )
    partial = path.with_suffix(".partial.xlsx")
    _write_xlsx(partial, columns, _title(variant))
    os.replace(partial, path)  # a run interrupted while writing leaves no half file behind
    described = {k: v for k, v in asdict(export).items() if k != "path"}
    facts.write_text(json.dumps(described), "utf-8")
    return export


@dataclass(frozen=True)
class _Columns:
    document: np.ndarray  # int64 document numbers
    line: np.ndarray  # int64, 1-based within the document
    day: np.ndarray  # int64 day of the fiscal year, 0-based
    account: list[str]
    product: list[str]
    cost_center: list[str]
    text: list[str]
    amount_cents: np.ndarray  # int64, signed, debit positive
    changed: int


def _posting_columns(rows: int, seed: int, variant: str) -> _Columns:
    base = _random_lines(np.random.default_rng(seed), rows, _FIRST_DOCUMENT)
    if variant != "overlap":
        return base
    rng = np.random.default_rng([seed, 1])
    amounts = base.amount_cents.copy()
    changed = rng.choice(rows, size=max(1, round(rows * CHANGED_SHARE)), replace=False)
    # A correction keeps the sign and moves the amount by 1 % to 50 %, at least one cent.
    factor = rng.uniform(1.01, 1.5, size=len(changed))
    amounts[changed] = np.round(amounts[changed] * factor).astype(np.int64) + np.sign(
        amounts[changed]
    )
    extra = _random_lines(
        rng,
        max(1, round(rows * NEW_SHARE)),
        int(base.document.max()) + 1,
        first_day=_day_of_year(dt.date(FISCAL_YEAR, 12, 1)),
    )
    return _Columns(
        document=np.concatenate([base.document, extra.document]),
        line=np.concatenate([base.line, extra.line]),
        day=np.concatenate([base.day, extra.day]),
        account=base.account + extra.account,
        product=base.product + extra.product,
        cost_center=base.cost_center + extra.cost_center,
        text=base.text + extra.text,
        amount_cents=np.concatenate([amounts, extra.amount_cents]),
        changed=len(changed),
    )


def _random_lines(
    rng: np.random.Generator, rows: int, first_document: int, first_day: int = 0
) -> _Columns:
    """Documents of 1 to 12 lines; the lines of a document share its date and text."""
    sizes = rng.choice(_LINES_PER_DOCUMENT, size=rows, p=_LINE_WEIGHTS)
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), rows)) + 1]
    documents = len(sizes)
    line_document = np.repeat(np.arange(documents), sizes)[:rows]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    line = np.arange(rows) - starts[line_document] + 1

    last_day = _day_of_year(dt.date(FISCAL_YEAR, 12, 31))
    # Month ends and the year-end closing are busy: a fifth of documents on a month's last days.
    day = rng.integers(first_day, last_day + 1, size=documents)
    month_end = rng.random(documents) < 0.2
    last_of_month = _last_day_of_month()
    day[month_end] = np.maximum(
        first_day, last_of_month[day[month_end]] - rng.integers(0, 3, int(month_end.sum()))
    )
    document_day = np.sort(day)  # document numbers rise with the booking date

    accounts = _codes(rng, _account_codes(), rows)
    products = _codes(rng, _product_codes(rng), rows)
    cost_centers = _codes(rng, _cost_center_codes(rng), rows)
    texts = _document_texts(rng, document_day)

    # Amounts: log-normal around a few hundred euros, now and then six or seven digits;
    # revenue accounts (4, 6) and a share of reversals are credits.
    cents = np.maximum(1, np.round(rng.lognormal(mean=10.0, sigma=1.9, size=rows))).astype(np.int64)
    credit = np.array([a[0] in "46" for a in accounts]) ^ (rng.random(rows) < 0.06)
    return _Columns(
        document=first_document + line_document.astype(np.int64),
        line=line.astype(np.int64),
        day=document_day[line_document],
        account=accounts,
        product=products,
        cost_center=cost_centers,
        text=[texts[i] for i in line_document],
        amount_cents=np.where(credit, -cents, cents),
        changed=0,
    )


def _codes(rng: np.random.Generator, codes: list[str], rows: int) -> list[str]:
    """Draw codes with a Zipf-like skew: a few accounts carry most postings, as in real ledgers."""
    weights = 1.0 / np.arange(1, len(codes) + 1) ** 0.9
    picks = rng.choice(len(codes), size=rows, p=weights / weights.sum())
    return [codes[i] for i in picks]


def _account_codes() -> list[str]:
    """Expense accounts (class 5) first, so that they carry most postings, as in a city's ledger."""
    stems = sorted(_ACCOUNT_STEMS, key=lambda stem: (stem[0] != "5", stem))
    return [f"{stem}{suffix:02d}" for stem in stems for suffix in (0, 10, 20, 50, 90)]


def _product_codes(rng: np.random.Generator) -> list[str]:
    """NKF products "Produktbereich.Gruppe.Produkt", e.g. "06.02.01" (Kinder- und Jugendhilfe)."""
    codes = {
        f"{area:02d}.{group:02d}.{product:02d}"
        for area, group, product in zip(
            rng.integers(1, 18, 600), rng.integers(1, 10, 600), rng.integers(1, 8, 600), strict=True
        )
    }
    return sorted(codes)


def _cost_center_codes(rng: np.random.Generator) -> list[str]:
    """Five-digit cost centers; departments below 10 keep their leading zero ("01100")."""
    return [f"{c:05d}" for c in sorted(set(rng.integers(1_000, 69_999, 800).tolist()))]


def _document_texts(rng: np.random.Generator, document_day: np.ndarray) -> list[str]:
    template = rng.integers(0, len(_TEXTS), len(document_day))
    name = rng.integers(0, len(_NAMES), len(document_day))
    number = rng.integers(1, 999_999, len(document_day))
    texts = []
    for day, t, n, k in zip(document_day.tolist(), template, name, number, strict=True):
        date = dt.date(FISCAL_YEAR, 1, 1) + dt.timedelta(days=day)
        texts.append(
            _TEXTS[t].format(
                name=_NAMES[n],
                number=int(k),
                day=date.day,
                month=date.month,
                year=FISCAL_YEAR,
                short=FISCAL_YEAR % 100,
            )
        )
    return texts


def _last_day_of_month() -> np.ndarray:
    """For each day of the fiscal year, the day of the year on which its month ends."""
    days = [dt.date(FISCAL_YEAR, 1, 1) + dt.timedelta(days=d) for d in range(366)]
    days = [d for d in days if d.year == FISCAL_YEAR]
    ends = [
        _day_of_year(dt.date(d.year + d.month // 12, d.month % 12 + 1, 1) - dt.timedelta(days=1))
        for d in days
    ]
    return np.array(ends, dtype=np.int64)


def _day_of_year(date: dt.date) -> int:
    return (date - dt.date(date.year, 1, 1)).days


def german_amount(cents: int) -> str:
    """1234.56 € as "1.234,56", a credit as "1.234,56-" (trailing minus, as journals print)."""
    euros, rest = divmod(abs(cents), 100)
    return f"{euros:,}".replace(",", ".") + f",{rest:02d}" + ("-" if cents < 0 else "")


def _title(variant: str) -> str:
    # A later export differs in its title line, as real exports carry their creation time.
    created = "25.11.2025 07:30" if variant == "base" else "02.12.2025 07:30"
    return f"Buchungsjournal Haushaltsjahr {FISCAL_YEAR} (alle Buchungen) — erstellt {created}"


def _cells(columns: _Columns) -> Iterator[tuple[int, str, int, str, str, str, str, str, str]]:
    dates = [
        (dt.date(FISCAL_YEAR, 1, 1) + dt.timedelta(days=d)).strftime("%d.%m.%Y") for d in range(366)
    ]
    for i, (document, line, day, cents) in enumerate(
        zip(
            columns.document.tolist(),
            columns.line.tolist(),
            columns.day.tolist(),
            columns.amount_cents.tolist(),
            strict=True,
        )
    ):
        yield (
            FISCAL_YEAR,
            str(document),
            line,
            dates[day],
            columns.account[i],
            columns.product[i],
            columns.cost_center[i],
            columns.text[i],
            german_amount(cents),
        )


def _write_xlsx(path: Path, columns: _Columns, title: str) -> None:
    import xlsxwriter  # only needed when the cache is cold

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Journal")
    sheet.write_string(0, 0, title)
    for col, name in enumerate(HEADER):
        sheet.write_string(1, col, name)
    row = 2
    write_string, write_number = sheet.write_string, sheet.write_number
    for year, document, line, date, account, product, center, text, amount in _cells(columns):
        write_number(row, 0, year)
        write_string(row, 1, document)
        write_number(row, 2, line)
        write_string(row, 3, date)
        write_string(row, 4, account)
        write_string(row, 5, product)
        write_string(row, 6, center)
        write_string(row, 7, text)
        write_string(row, 8, amount)
        row += 1
    sheet.write_string(row, 0, "Summe")
    sheet.write_string(row, 8, german_amount(int(columns.amount_cents.sum())))
    workbook.close()
