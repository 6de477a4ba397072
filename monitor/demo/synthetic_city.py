"""A synthetic city modelled on Düren: the fixture of the demo and of the test suite.

`build_city(seed)` returns every table the product imports — districts, population, indicators,
measures with posting rules and district shares, the budget plan and the postings — as
DataFrames, together with the truth a test needs to check the product: which program was planted
with which effect, when each district was first treated, which posting belongs to which measure,
and which amount the overlapping re-export corrects. `write_city` writes the files the demo
imports. Everything is deterministic for a seed; all figures are invented and every file says so.

How effects are planted: each district's indicators are generated untreated (`counterfactual`);
then, from the first indicator period in which a district receives spending of a program (its
`treatment_start`), the program's effect is added — `planted_effects[program]` percentage points
on the SGB II rate and the multiples of `EFFECT_MULTIPLIERS` on the other indicators — and stays
(an absorbing, constant step effect). Programs are placed by need (need rank = order of the
latent SGB II level), so treated districts are needier than controls in levels but share their
trends: the parallel-trends assumption holds by construction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from monitor.demo import export_writers as ew
from monitor.demo.extra_measures import extra_measures, extra_programs, max_extra_measures
from monitor.demo.synthetic_districts import (
    INDICATORS,
    district_frame,
    indicator_frames,
    latent_need,
    population_frame,
)
from monitor.demo.synthetic_measures import (
    EFFECT_MULTIPLIERS,
    PROGRAM_EFFECTS,
    TEMPLATE_MEASURES,
    Measure,
    quarter_label,
    resolve_catalog,
    treatment_starts,
)
from monitor.demo.synthetic_postings import Correction, generate_postings

README_NAME = "README_SYNTHETISCH.txt"


@dataclass(frozen=True, eq=False)  # frames do not compare with ==; compare them one by one
class SyntheticCity:
    """Every table of one synthetic city, and the truth behind it.

    districts: district ("SR01"), name. population: district, year, population (year-end).
    indicators: long format — district, indicator (code), period ("2024" or "2024-Q3"), value
      (float, NaN where withheld); codes sgb2_quote, kinderarmut (yearly, %), arbeitslosigkeit
      (quarterly, unemployed per 100 inhabitants 15–64), grundsicherung_alter (yearly, %).
    counterfactual: the same frame without any program effect.
    measures: measure, name, program, start, end (NaT = open), and the posting rules
      cost_center, product, account, order (NaN = not part of the rule; "5*" prefix,
      "5291*,5431*" alternatives), per SPEC §5. No rule uses the product, because the SAP
      line-item layout carries none; the postings have products all the same.
    allocations: measure, district, share (Decimal), valid_from, valid_to (NaT = open), basis.
      Shares valid on one day sum to 1; the measure SRP-01 has none (unattributed spending).
    plan: measure, year, amount (Decimal euros, whole hundreds).
    postings: fiscal_year, document_no, line_no, booking_date, account, product, cost_center,
      order, text, amount (Decimal euros with two places, signed, debit positive). Income is
      negative, refunds and cancellations are negative spending.
    posting_measures: fiscal_year, document_no, line_no, measure — the measure each posting
      belongs to under the rules (None for postings of no measure).
    planted_effects: program -> true effect on sgb2_quote in percentage points (0.0 = placebo).
    planted_effects_by_indicator: indicator -> program -> true effect in the indicator's unit.
    treatment_start: program -> district -> first treated year (yearly indicators).
    treatment_start_quarter: program -> district -> first treated quarter ("2021-Q3").
    treatment_start_date: program -> district -> first day with a share of the program.
    correction: the posting whose amount the overlapping year-to-date exports correct.
    export_layouts: fiscal year -> "csv" | "journal" | "sap" | "sap_cumulative".
    cumulative_cutoffs: the last year's year-to-date export dates (quarter ends).
    """

    seed: int
    years: range
    scale: float
    districts: pd.DataFrame
    population: pd.DataFrame
    indicators: pd.DataFrame
    counterfactual: pd.DataFrame
    measures: pd.DataFrame
    allocations: pd.DataFrame
    plan: pd.DataFrame
    postings: pd.DataFrame
    posting_measures: pd.DataFrame
    planted_effects: dict[str, float]
    planted_effects_by_indicator: dict[str, dict[str, float]]
    treatment_start: dict[str, dict[str, int]]
    treatment_start_quarter: dict[str, dict[str, str]]
    treatment_start_date: dict[str, dict[str, date]]
    correction: Correction
    export_layouts: dict[int, str]
    cumulative_cutoffs: tuple[date, ...]

    @property
    def never_treated(self) -> tuple[str, ...]:
        """Districts that receive no program at all (controls for every program)."""
        treated = {d for starts in self.treatment_start.values() for d in starts}
        return tuple(d for d in self.districts["district"] if d not in treated)


def _measure_frames(measures: tuple[Measure, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    catalog = pd.DataFrame(
        {
            "measure": [m.measure for m in measures],
            "name": [m.name for m in measures],
            "program": [m.program for m in measures],
            "start": pd.to_datetime([m.start for m in measures]).astype("datetime64[ns]"),
            "end": pd.to_datetime([m.end for m in measures]).astype("datetime64[ns]"),
            "cost_center": pd.Series([m.cost_center for m in measures], dtype="str"),
            "product": pd.Series([None] * len(measures), dtype="str"),
            "account": pd.Series([m.account for m in measures], dtype="str"),
            "order": pd.Series([m.order for m in measures], dtype="str"),
        }
    )
    rows = [
        (m.measure, district, share, phase.valid_from, phase.valid_to, phase.basis)
        for m in measures
        for phase in m.phases
        for district, share in phase.shares
    ]
    allocations = pd.DataFrame(
        rows, columns=["measure", "district", "share", "valid_from", "valid_to", "basis"]
    )
    for column in ("valid_from", "valid_to"):
        allocations[column] = pd.to_datetime(allocations[column]).astype("datetime64[ns]")
    allocations["share"] = allocations["share"].astype(object)
    return catalog, allocations


def _plan(
    postings: pd.DataFrame,
    truth: pd.DataFrame,
    measures: tuple[Measure, ...],
    years: range,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Budget per measure and year: the year's spending (class 5) missed by a few percent,
    rounded to whole hundreds of euros, as a Haushaltsansatz would be."""
    spending = postings["account"].str.startswith("5")
    cents = postings["amount"].map(lambda a: int(a * 100))
    actual = (
        pd.DataFrame(
            {"measure": truth["measure"], "year": postings["fiscal_year"], "cents": cents}
        )[spending & truth["measure"].notna()]
        .groupby(["measure", "year"])["cents"]
        .sum()
    )
    rows = []
    for m in measures:
        for year in years:
            if year < m.start.year or (m.end is not None and year > m.end.year):
                continue
            spent = actual.get((m.measure, year), 0) / 100.0
            hundreds = max(1, round(spent * (1.0 + rng.normal(0.0, 0.07)) / 100.0))
            rows.append((m.measure, year, Decimal(hundreds * 100).quantize(Decimal("0.01"))))
    plan = pd.DataFrame(rows, columns=["measure", "year", "amount"])
    plan["amount"] = plan["amount"].astype(object)
    return plan


def export_layouts(years: range) -> dict[int, str]:
    """Which layout each fiscal year is exported in: the city changed finance systems twice.

    The first third of the years as CSV journals, the next third as Excel journals, the rest as
    SAP line-item lists; the last year as cumulative year-to-date SAP exports.
    """
    earlier = list(years[:-1])
    csv_years = math.ceil(len(earlier) / 3)
    journal_years = math.ceil((len(earlier) - csv_years) / 2)
    layouts = {y: "csv" for y in earlier[:csv_years]}
    layouts |= {y: "journal" for y in earlier[csv_years : csv_years + journal_years]}
    layouts |= {y: "sap" for y in earlier[csv_years + journal_years :]}
    layouts[years[-1]] = "sap_cumulative"
    return layouts


def build_city(
    seed: int = 0,
    *,
    districts: int = 23,
    years: range = range(2016, 2025),
    scale: float = 1.0,
    measures: int = TEMPLATE_MEASURES,
) -> SyntheticCity:
    """Generate the synthetic city for `seed`.

    districts: number of Sozialräume (8..99; 23 = Düren's). years: indicator and posting years
    (at least 4). scale: multiplies the number of invoice postings (about 8,000 postings at 1.0
    for the default city); indicators and the catalog do not depend on it. measures: size of the
    catalog, at least the demo's sixteen; more add placebo programs of about sixteen measures
    each (`extra_measures`), e.g. 200 measures in eighteen programs, for benchmarks.
    """
    if len(years) < 4 or years.step != 1:
        raise ValueError("years must be a range of at least four consecutive years")
    if scale <= 0:
        raise ValueError("scale must be positive")
    most = TEMPLATE_MEASURES + max_extra_measures()
    if not TEMPLATE_MEASURES <= measures <= most:
        raise ValueError(f"measures must be between {TEMPLATE_MEASURES} and {most}")
    streams = np.random.SeedSequence(seed).spawn(4)
    rng_districts, rng_indicators, rng_plan = (np.random.default_rng(s) for s in streams[:3])

    district_table = district_frame(districts)
    need = latent_need(district_table, rng_districts)
    population = population_frame(district_table, years, rng_districts)
    by_need = need.sort_values(ascending=False, kind="stable").index.tolist()
    names = dict(zip(district_table["district"], district_table["name"], strict=True))
    extra = measures - TEMPLATE_MEASURES
    catalog_measures = resolve_catalog(by_need, names, years[0], len(years))
    catalog_measures += extra_measures(extra, by_need, names, years[0], len(years))
    effects = dict(PROGRAM_EFFECTS) | {program: 0.0 for program in extra_programs(extra)}

    starts = treatment_starts(catalog_measures)
    start_year = {p: {d: s.year for d, s in ds.items()} for p, ds in starts.items()}
    start_quarter = {p: {d: quarter_label(s) for d, s in ds.items()} for p, ds in starts.items()}
    quarter_index = {
        p: {d: s.year * 4 + (s.month - 1) // 3 for d, s in ds.items()} for p, ds in starts.items()
    }
    indicators, counterfactual = indicator_frames(
        district_table,
        population,
        need,
        years,
        start_year,
        quarter_index,
        effects,
        rng_indicators,
    )
    postings, truth, correction = generate_postings(catalog_measures, years, scale, streams[3])
    catalog, allocations = _measure_frames(catalog_measures)
    last = years[-1]
    return SyntheticCity(
        seed=seed,
        years=years,
        scale=scale,
        districts=district_table,
        population=population,
        indicators=indicators,
        counterfactual=counterfactual,
        measures=catalog,
        allocations=allocations,
        plan=_plan(postings, truth, catalog_measures, years, rng_plan),
        postings=postings,
        posting_measures=truth,
        planted_effects=effects,
        planted_effects_by_indicator={
            info.code: {p: e * EFFECT_MULTIPLIERS[info.code] for p, e in effects.items()}
            for info in INDICATORS
        },
        treatment_start=start_year,
        treatment_start_quarter=start_quarter,
        treatment_start_date=starts,
        correction=correction,
        export_layouts=export_layouts(years),
        cumulative_cutoffs=(
            date(last, 3, 31),
            date(last, 6, 30),
            date(last, 9, 30),
            date(last, 12, 31),
        ),
    )


def write_city(city: SyntheticCity, folder: Path) -> dict[str, Path]:
    """Write every file of `city` into `folder`; returns name -> path in import order.

    Names: "readme", "districts", "indicators", "measures", "plan", then one "postings_YYYY" per
    fiscal year (CSV journal, Excel journal or SAP list, see `city.export_layouts`) and
    "postings_YYYY_MM" for the last year's cumulative exports up to each quarter end; the first
    of those carries `city.correction.old_amount`, the later ones the corrected amount.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    as_of = datetime(city.years[-1] + 1, 1, 15, 7, 42)
    files: dict[str, Path] = {"readme": _write_readme(city, folder / README_NAME)}
    files["districts"] = ew.write_districts(
        city.districts, city.population, folder / "districts.xlsx", as_of=as_of
    )
    files["indicators"] = ew.write_indicators(
        city.indicators, folder / "indicators.xlsx", as_of=as_of
    )
    files["measures"] = ew.write_measures(
        city.measures, city.allocations, folder / "measures.xlsx", as_of=as_of
    )
    files["plan"] = ew.write_plan(city.plan, city.measures, folder / "plan.xlsx", as_of=as_of)
    by_year = dict(tuple(city.postings.groupby("fiscal_year", sort=True)))
    for year, layout in sorted(city.export_layouts.items()):
        year_postings = by_year.get(year, city.postings.iloc[:0])
        if layout == "csv":
            path = folder / f"Buchungsjournal_{year}_SYNTHETISCH.csv"
            files[f"postings_{year}"] = ew.write_journal_csv(year_postings, path)
        elif layout == "journal":
            path = folder / f"Buchungsjournal_{year}_SYNTHETISCH.xlsx"
            files[f"postings_{year}"] = ew.write_journal(year_postings, path)
        elif layout == "sap":
            path = folder / f"Einzelposten_Sachkonten_{year}_SYNTHETISCH.xlsx"
            files[f"postings_{year}"] = ew.write_sap_line_items(year_postings, path)
        else:
            c = city.correction
            written = ew.write_cumulative_exports(
                year_postings,
                folder,
                fiscal_year=year,
                cutoffs=city.cumulative_cutoffs,
                correction=(c.key, c.old_amount) if c.fiscal_year == year else None,
            )
            for label, path in written.items():
                files[f"postings_{label.replace('-', '_')}"] = path
    return files


def _write_readme(city: SyntheticCity, path: Path) -> Path:
    c = city.correction
    effects = "\n".join(
        f"  - {program}: {effect:+.1f} Prozentpunkte SGB-II-Quote"
        + (" (Placebo, kein Effekt)" if effect == 0 else "")
        for program, effect in city.planted_effects.items()
    )
    layouts = "\n".join(f"  - {year}: {layout}" for year, layout in city.export_layouts.items())
    first_cut, second_cut = city.cumulative_cutoffs[0], city.cumulative_cutoffs[1]
    old, new = ew.german_amounts([c.old_amount, c.new_amount], trailing_minus=False)
    text = f"""{ew.SYNTHETIC} — NICHT ECHT
{"=" * 40}

{ew.NOTICE}

Die Namen der {len(city.districts)} Sozialräume stammen (bis auf "Synthetischer Sozialraum ...")
aus Düren; Einwohner, Indikatoren,
Maßnahmen, Haushaltsansätze und Buchungen sind erfunden (Zufallsstartwert {city.seed},
Jahre {city.years[0]}–{city.years[-1]}).

Dateien
  - districts.xlsx   Sozialräume und Einwohner
  - indicators.xlsx  Indikatoren im Langformat (fehlende Werte als "." oder "-")
  - measures.xlsx    Maßnahmenkatalog mit Buchungsregeln und Zuordnung zu Sozialräumen
  - plan.xlsx        Haushaltsansätze je Maßnahme, eine Spalte je Jahr
  - Buchungen je Haushaltsjahr, in wechselnden Exportformaten:
{layouts}
    csv = Buchungsjournal als CSV (Windows-1252, ";", Betrag "-1.234,56")
    journal = Buchungsjournal als Excel, alles Text (Betrag "1.234,56-")
    sap = SAP-Einzelpostenliste (Betrag ohne Vorzeichen, Soll/Haben-Kennzeichen)
    sap_cumulative = kumulierte Exporte bis Quartalsende; jeder wiederholt die früheren Buchungen.

Korrektur: Beleg {c.document_no}, Position {c.line_no} ({c.fiscal_year}) steht im Export bis
{first_cut:%d.%m.%Y} mit {old} EUR und ab dem Export bis {second_cut:%d.%m.%Y} mit {new} EUR.

Eingebaute Wirkungen (nur für die Prüfung der Auswertung; erfunden):
{effects}
"""
    path.write_text(text, encoding="utf-8")
    return path
