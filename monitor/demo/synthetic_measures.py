"""The synthetic city's measure catalog: programs, measures, posting rules and district shares.

Programs are placed the way cities place them: by need. Each measure names the districts it serves
by *need rank* (1 = neediest; rank 1 is always Nord-Düren), so the catalog stays the same shape
for any seed while the latent need of the districts — and therefore which named quarter gets which
youth centre — varies with the seed. Start dates are given as year offsets from the city's first
year, compressed proportionally when a city has fewer than nine years.

Design of the effect programs (see `PROGRAM_EFFECTS`): as in a real city the needy districts
receive several programs, and the overlaps are chosen so that, for every program, its treated
districts and its never-treated districts carry about the same share of *other* programs'
effects at the same times. Evaluating one program against the districts never treated by *that*
program (SPEC §7) then recovers its planted effect: noise-free, Callaway & Sant'Anna's simple ATT
is within 0.06 of the truth for every staggered program, and the single-district DiD of Starke
Quartiere (Nord-Düren, which also gets a school social work measure from the seventh year) is
unbiased. Against the districts that receive no program at all (`SyntheticCity.never_treated`)
the overlaps bias Schulsozialarbeit (≈ −0.16), Familienzentren (≈ −0.13) and Starke Quartiere
(≈ −0.25). Sozialraumplanung has no allocation: its spending is unattributed by construction.
The balance holds for Düren's 23 districts and nine years; other sizes keep the shape only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# True effect of each program on the SGB II rate, in percentage points, from the first indicator
# period in which a district receives the program's spending. 0.0 marks a placebo program.
PROGRAM_EFFECTS: Mapping[str, float] = {
    "Jugendzentren": -1.0,
    "Starke Quartiere": -1.5,
    "Schulsozialarbeit": -0.5,
    "Familienzentren": 0.0,
    "Seniorentreffs": 0.0,
}

# How strongly each indicator moves with the SGB II rate (same factors as the indicator model):
# a program that lowers the SGB II rate by 1 pp lowers child poverty by 1.75 pp and the
# unemployment density by 0.33; basic income support in old age does not react.
EFFECT_MULTIPLIERS: Mapping[str, float] = {
    "sgb2_quote": 1.0,
    "kinderarmut": 1.75,
    "arbeitslosigkeit": 0.33,
    "grundsicherung_alter": 0.0,
}

TEMPLATE_DISTRICTS = 23  # the need ranks below are written for Düren's 23 Sozialräume
DEFAULT_YEARS = 9  # the year offsets below are written for 2016..2024


@dataclass(frozen=True)
class _Phase:
    """Shares valid from (year offset, month) on: ((need rank, share), ...) and why."""

    offset: int
    month: int
    shares: tuple[tuple[int, str], ...]
    basis: str


@dataclass(frozen=True)
class _Template:
    measure: str
    name: str  # "{districts}" becomes the served districts' names joined by "/"
    program: str
    kind: str  # spending profile used by the postings generator
    start: tuple[int, int]  # (year offset, month); measures start on the 1st
    end: tuple[int, int, int] | None  # (year offset, month, day)
    cost_center: str | None  # posting rule columns (SPEC §5); None = not part of the rule
    account: str | None
    order: str | None
    posting_cost_center: str  # where the measure's postings are booked
    product: str  # product (Produktrahmen NRW, PB.PG.PR) of the measure's postings
    phases: tuple[_Phase, ...]
    rented: bool = False


def _p(offset: int, month: int, basis: str, *shares: tuple[int, str]) -> _Phase:
    return _Phase(offset, month, tuple(shares), basis)


_CATALOG: tuple[_Template, ...] = (
    _Template("JZ-01", "Jugendzentrum {districts}", "Jugendzentren", "youth_centre",
              (2, 1), None, "51201", None, None, "51201", "06.02.01",
              (_p(2, 1, "Einzugsgebiet", (2, "1")),
               _p(5, 7, "Wohnort der Besucher (Zählung)", (2, "0.7"), (5, "0.3")))),
    _Template("JZ-02", "Jugendzentrum {districts}", "Jugendzentren", "youth_centre",
              (2, 4), None, "51202", None, None, "51202", "06.02.01",
              (_p(2, 4, "Einzugsgebiet", (6, "1")),), rented=True),
    _Template("JZ-03", "Jugendzentrum {districts}", "Jugendzentren", "youth_centre",
              (4, 1), None, "51203", None, None, "51203", "06.02.01",
              (_p(4, 1, "Einzugsgebiet (Fläche)", (3, "0.6"), (7, "0.4")),)),
    _Template("JZ-04", "Jugendzentrum {districts}", "Jugendzentren", "youth_centre",
              (4, 9), None, "51204", None, None, "51204", "06.02.01",
              (_p(4, 9, "Einzugsgebiet", (9, "1")),), rented=True),
    _Template("SQ-01", "Quartiersmanagement Starke Quartiere {districts}", "Starke Quartiere",
              "quarter_management", (3, 1), None, None, None, "700601", "50600", "05.06.01",
              (_p(3, 1, "Programmgebiet", (1, "1")),)),
    _Template("SSA-01", "Schulsozialarbeit GGS {districts}", "Schulsozialarbeit", "school",
              (1, 8), None, "51300", None, "700301", "51300", "06.03.01",
              (_p(1, 8, "Schulstandort", (5, "1")),)),
    _Template("SSA-02", "Schulsozialarbeit GGS {districts}", "Schulsozialarbeit", "school",
              (1, 8), None, "51300", None, "700302", "51300", "06.03.01",
              (_p(1, 8, "Schulstandort", (12, "1")),)),
    _Template("SSA-03", "Schulsozialarbeit Hauptschule {districts}", "Schulsozialarbeit", "school",
              (6, 8), None, "51300", None, "700303", "51300", "06.03.01",
              (_p(6, 8, "Schulstandort", (1, "1")),)),
    _Template("SSA-04", "Schulsozialarbeit Grundschulverbund {districts}", "Schulsozialarbeit",
              "school", (6, 8), None, "51300", None, "700304", "51300", "06.03.01",
              (_p(6, 8, "Wohnort der Schülerinnen und Schüler", (7, "0.5"), (10, "0.5")),)),
    _Template("FZ-01", "Familienzentrum {districts}", "Familienzentren", "family_centre",
              (3, 1), None, "51401", "5*", None, "51401", "06.01.02",
              (_p(3, 1, "Einzugsgebiet", (10, "1")),)),
    _Template("FZ-02", "Familienzentrum {districts}", "Familienzentren", "family_centre",
              (3, 1), None, "51402", "5*", None, "51402", "06.01.02",
              (_p(3, 1, "Einzugsgebiet", (11, "1")),)),
    _Template("FZ-03", "Familienzentrum {districts}", "Familienzentren", "family_centre",
              (5, 3), None, "51403", "5*", None, "51403", "06.01.02",
              (_p(5, 3, "Einzugsgebiet", (4, "1")),)),
    _Template("FZ-04", "Familienzentrum {districts}", "Familienzentren", "family_centre",
              (5, 3), (7, 6, 30), "51404", "5*", None, "51404", "06.01.02",
              (_p(5, 3, "Einzugsgebiet", (7, "0.5"), (9, "0.5")),)),
    _Template("ST-01", "Seniorentreff {districts}", "Seniorentreffs", "senior_club",
              (6, 1), None, "50501", None, None, "50501", "05.05.01",
              (_p(6, 1, "Standort", (22, "1")),)),
    _Template("ST-02", "Seniorentreff {districts}", "Seniorentreffs", "senior_club",
              (7, 1), None, "50502", None, None, "50502", "05.05.01",
              (_p(7, 1, "Standort", (12, "0.5"), (18, "0.5")),)),
    _Template("SRP-01", "Sozialraumplanung und Sozialraumkonferenz (gesamtstädtisch)",
              "Sozialraumplanung", "planning", (3, 1), None, "50100", "5291*,5431*", None,
              "50100", "05.01.02", ()),
)  # fmt: skip


TEMPLATE_MEASURES = len(_CATALOG)  # the demo's catalog: sixteen measures in six programs


@dataclass(frozen=True)
class AllocationPhase:
    """Shares of one measure valid from `valid_from` to `valid_to` (inclusive; None = open)."""

    valid_from: date
    valid_to: date | None
    shares: tuple[tuple[str, Decimal], ...]  # (district code, share); shares sum to 1
    basis: str


@dataclass(frozen=True)
class Measure:
    """One resolved measure of the synthetic city, with what the postings generator needs."""

    measure: str
    name: str
    program: str
    kind: str
    start: date
    end: date | None
    cost_center: str | None
    account: str | None
    order: str | None
    posting_cost_center: str
    product: str
    rented: bool
    phases: tuple[AllocationPhase, ...]

    @property
    def districts(self) -> tuple[str, ...]:
        """Every district that ever receives a share, in order of first appearance."""
        seen: dict[str, None] = {}
        for phase in self.phases:
            for district, _share in phase.shares:
                seen.setdefault(district, None)
        return tuple(seen)


def year_offset(offset: int, n_years: int) -> int:
    """Map a template offset (written for nine years) to a city with `n_years` years."""
    scaled = round(offset * (n_years - 1) / (DEFAULT_YEARS - 1))
    return min(max(1, scaled), n_years - 1) if offset > 0 else 0


def need_rank_position(rank: int, n_districts: int) -> int:
    """Map a template need rank (written for 23 districts) to a city of `n_districts`.

    Rank 1 (Nord-Düren) stays rank 1; ranks 2..23 are spread over 2..n so the programs keep their
    place in the need distribution. With fewer districts, neighbouring ranks may coincide.
    """
    if rank == 1:
        return 1
    return 2 + round((rank - 2) * (n_districts - 2) / (TEMPLATE_DISTRICTS - 2))


def resolve_catalog(
    by_need_rank: Sequence[str], names: Mapping[str, str], first_year: int, n_years: int
) -> tuple[Measure, ...]:
    """The catalog for one city: need ranks become district codes, offsets become dates.

    by_need_rank: district codes, neediest first. names: district code -> name.
    """
    n = len(by_need_rank)
    measures = []
    for t in _CATALOG:
        start = date(first_year + year_offset(t.start[0], n_years), t.start[1], 1)
        end = None
        if t.end is not None:
            end = date(first_year + year_offset(t.end[0], n_years), t.end[1], t.end[2])
        froms = [
            max(start, date(first_year + year_offset(p.offset, n_years), p.month, 1))
            for p in t.phases
        ]
        phases = []
        for i, phase in enumerate(t.phases):
            valid_to = froms[i + 1] - timedelta(days=1) if i + 1 < len(froms) else end
            merged: dict[str, Decimal] = {}
            for rank, share in phase.shares:
                code = by_need_rank[need_rank_position(rank, n) - 1]
                merged[code] = merged.get(code, Decimal(0)) + Decimal(share)
            phases.append(AllocationPhase(froms[i], valid_to, tuple(merged.items()), phase.basis))
        first_districts = [code for code, _ in phases[0].shares] if phases else []
        name = t.name.format(districts="/".join(names[c] for c in first_districts))
        measures.append(
            Measure(
                measure=t.measure,
                name=name,
                program=t.program,
                kind=t.kind,
                start=start,
                end=end,
                cost_center=t.cost_center,
                account=t.account,
                order=t.order,
                posting_cost_center=t.posting_cost_center,
                product=t.product,
                rented=t.rented,
                phases=tuple(phases),
            )
        )
    return tuple(measures)


def treatment_starts(measures: Sequence[Measure]) -> dict[str, dict[str, date]]:
    """program -> district -> first day on which the district receives a share of its spending.

    Every measure books spending in its first month (monthly payroll or grant instalments), so
    this is also the first day of the first indicator period with attributed spending.
    """
    starts: dict[str, dict[str, date]] = {}
    for m in measures:
        for phase in m.phases:
            for district, share in phase.shares:
                if share <= 0:
                    continue
                program = starts.setdefault(m.program, {})
                if district not in program or phase.valid_from < program[district]:
                    program[district] = phase.valid_from
    return {p: dict(sorted(d.items())) for p, d in sorted(starts.items())}


def quarter_label(day: date) -> str:
    """The quarter period containing `day`, as the indicator files write it: "2021-Q3"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
