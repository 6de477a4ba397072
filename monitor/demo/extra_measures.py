"""More programs for a benchmark-sized synthetic city: measures beyond the demo's sixteen.

The demo's catalog (`synthetic_measures`) holds sixteen hand-placed measures in six programs. A
large city runs far more: dozens of youth clubs, family offices and counselling services, each a
cost center of its own, grouped into a dozen or two programs. `extra_measures(count, …)` adds
`count` such measures, dealt round-robin to programs of about sixteen measures each (so 184
extra measures make twelve more programs, eighteen in all), with staggered starts and one or two
districts each, placed by need as cities place them.

The extra programs are placebos: they plant no effect on any indicator, so they leave the demo
programs' planted effects and their recovery untouched. Their own estimates need not be zero:
their districts are the needy ones the demo programs also reach, so a comparison with the
districts they do not reach picks up the demo programs' effects (as it would in a real city).

Each extra measure books on a cost center of its own (52xxx, 53xxx; the demo's are 50xxx and
51xxx), so no posting matches two measures. Everything is a pure function of the district order
and the years: no randomness.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from monitor.demo.synthetic_measures import AllocationPhase, Measure


@dataclass(frozen=True)
class _Program:
    name: str
    prefix: str  # measure code prefix, "OKJ" -> "OKJ-01"
    label: str  # measure name before the districts' names
    kind: str  # spending profile of the postings generator (see synthetic_postings)
    product: str  # Produktrahmen NRW, PB.PG.PR
    basis: str  # why the shares are what they are


# Kinds reuse the demo's spending profiles: youth_centre (staff, energy, invoices, a state grant),
# school (staff, few invoices), family_centre (a monthly grant to a provider, invoices, course fees
# outside the rule), senior_club (a small monthly grant and a few invoices).
_PROGRAMS: tuple[_Program, ...] = (
    _Program("Offene Kinder- und Jugendarbeit", "OKJ", "Jugendtreff", "youth_centre", "06.02.01",
             "Einzugsgebiet"),
    _Program("Frühe Hilfen", "FRH", "Frühe Hilfen", "family_centre", "06.01.03", "Wohnort"),
    _Program("Kita-Sozialarbeit", "KSA", "Kita-Sozialarbeit", "school", "06.01.01",
             "Standort der Kita"),
    _Program("Erziehungsberatung", "EB", "Erziehungsberatung", "family_centre", "06.04.01",
             "Wohnort der Ratsuchenden"),
    _Program("Streetwork", "SW", "Streetwork", "school", "06.02.02", "Einsatzgebiet"),
    _Program("Quartiersbüros", "QB", "Quartiersbüro", "family_centre", "05.06.02", "Quartier"),
    _Program("Seniorenberatung", "SB", "Seniorenberatung", "senior_club", "05.05.02",
             "Wohnort der Ratsuchenden"),
    _Program("Schuldnerberatung", "SDB", "Schuldnerberatung", "family_centre", "05.01.03",
             "Wohnort der Ratsuchenden"),
    _Program("Jugendberufshilfe", "JBH", "Jugendberufshilfe", "school", "06.02.03",
             "Wohnort der Teilnehmenden"),
    _Program("Sprachförderung", "SPF", "Sprachförderung", "family_centre", "06.01.04",
             "Standort"),
    _Program("Stadtteilbibliotheken", "STB", "Stadtteilbibliothek", "senior_club", "04.01.02",
             "Standort"),
    _Program("Mittagstisch", "MT", "Mittagstisch", "senior_club", "05.01.04", "Standort"),
    _Program("Integrationsarbeit", "INT", "Integrationsarbeit", "school", "05.01.05",
             "Wohnort der Teilnehmenden"),
    _Program("Bewegungsförderung", "BWF", "Bewegungsförderung", "senior_club", "04.02.01",
             "Standort"),
    _Program("Wohnungsnotfallhilfe", "WNH", "Wohnungsnotfallhilfe", "family_centre", "05.02.01",
             "Wohnort"),
    _Program("Familienbüros", "FB", "Familienbüro", "family_centre", "06.01.05", "Einzugsgebiet"),
    _Program("Suchtprävention", "SUP", "Suchtprävention", "school", "05.03.01", "Einsatzgebiet"),
    _Program("Spielplatzpatenschaften", "SPP", "Spielplatzpatenschaft", "senior_club", "06.02.04",
             "Standort"),
    _Program("Nachbarschaftstreffs", "NT", "Nachbarschaftstreff", "youth_centre", "05.06.03",
             "Einzugsgebiet"),
    _Program("Lernförderung", "LF", "Lernförderung", "school", "06.03.02", "Schulstandort"),
)  # fmt: skip

MEASURES_PER_PROGRAM = 16  # about as many as the demo's programs hold together
MAX_PER_PROGRAM = 99  # two digits of the cost center number the measure within its program
NEEDY_SHARE = 0.6  # programs serve the neediest 60 % of the districts; the rest stay controls


def max_extra_measures() -> int:
    """The most extra measures the cost-center scheme can number."""
    return len(_PROGRAMS) * MAX_PER_PROGRAM


def extra_programs(count: int) -> tuple[str, ...]:
    """Names of the programs `count` extra measures are dealt to, in order."""
    if count <= 0:
        return ()
    n_programs = min(len(_PROGRAMS), math.ceil(count / MEASURES_PER_PROGRAM))
    return tuple(p.name for p in _PROGRAMS[:n_programs])


def extra_measures(
    count: int, by_need_rank: Sequence[str], names: Mapping[str, str], first_year: int,
    n_years: int,
) -> tuple[Measure, ...]:  # fmt: skip
    """`count` measures beyond the demo's catalog.

    by_need_rank: district codes, neediest first; names: code -> name. Measure k goes to program
    k mod P (P = `len(extra_programs(count))`) as its (k div P + 1)-th measure. It starts on the
    first of a month between the second and the second-last year (so every program has treated
    cohorts with pre- and post-periods) and serves one district of the program's need band, or
    two at half each for every third measure. Rented youth clubs alternate, as in the demo.
    """
    if not 0 <= count <= max_extra_measures():
        raise ValueError(f"extra measures must be between 0 and {max_extra_measures()}")
    programs = _PROGRAMS[: len(extra_programs(count))]
    eligible = by_need_rank[: max(2, math.ceil(NEEDY_SHARE * len(by_need_rank)))]
    measures = []
    for k in range(count):
        p, j = k % len(programs), k // len(programs)
        program = programs[p]
        offset = 1 + (p + 2 * j) % max(1, n_years - 2)
        start = date(first_year + offset, 1 + (5 * j + p) % 12, 1)
        first = eligible[(3 * p + j) % len(eligible)]
        if j % 3 == 2:
            second = eligible[(3 * p + j + 1) % len(eligible)]
            shares = ((first, Decimal("0.5")), (second, Decimal("0.5")))
        else:
            shares = ((first, Decimal(1)),)
        cost_center = f"5{2 + p // 10}{p % 10}{j + 1:02d}"
        served = "/".join(names[code] for code, _ in shares)
        measures.append(
            Measure(
                measure=f"{program.prefix}-{j + 1:02d}",
                name=f"{program.label} {j + 1} {served}",
                program=program.name,
                kind=program.kind,
                start=start,
                end=None,
                cost_center=cost_center,
                # Course fees (class 4) on a family office's cost center are not the measure's.
                account="5*" if program.kind == "family_centre" else None,
                order=None,
                posting_cost_center=cost_center,
                product=program.product,
                rented=j % 2 == 1,
                phases=(AllocationPhase(start, None, shares, program.basis),),
            )
        )
    return tuple(measures)
