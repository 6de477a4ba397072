"""An estimate in the committee's words: the change, its verdict, and what must stand beside it.

One programme's claim is told in the same terms wherever it appears ("Auf einen Blick" and its
page), from the SPEC §7 evaluate JSON:

- the change as observed — the indicator fell (or rose) by so much more in the districts with
  the programme than in comparable districts, with its interval. Sign convention: `estimate` is
  treated minus comparison (in the indicator's unit); a negative estimate is told as "sank …
  um |estimate|", with the interval turned the same way, so the two always read in one
  direction;
- the verdict: "shown" where p ≤ 0.05 and the interval excludes zero, "untestable" where there
  is no estimate, no p-value or the interval is unbounded (too few districts for any result to
  reach 5 %), "chance" otherwise. The words about chance follow the verdict, so a page never
  calls a finding unlikely to be chance that the glance table calls indistinguishable from it;
- the minimum detectable effect (the `mde` of SPEC §7, absolute, indicator units) and the
  breakdown value M̄ of Rambachan & Roth's relative magnitudes (`sensitivity`).

It is called the programme's effect only "unter der Annahme paralleler Trends" (DOMAIN §5).
"""

from __future__ import annotations

import math
from typing import Any

from reports.formatting import decimals_for, round_half_up
from reports.report_layout import Layout

# The verdict's level and the "weak evidence" band of the uncertainty sentence.
SIGNIFICANT_AT = 0.05
WEAK_BELOW = 0.10
DEFAULT_LEVEL = 95
JUDGEMENTS = ("shown", "chance", "untestable")
# A breakdown M̄ below this is told as fragile: trends diverging after the start by less than
# they did before it would already explain the result.
FRAGILE_BELOW = 1.0


def finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def interval(evaluation: dict[str, Any]) -> tuple[float | None, float | None]:
    """The interval's ends; None for an end that is unknown or unbounded."""
    ci = evaluation.get("ci") or [None, None]
    return finite(ci[0]), finite(ci[1])


def level(evaluation: dict[str, Any], layout: Layout) -> str:
    return layout.fmt.integer(int(evaluation.get("level") or DEFAULT_LEVEL))


def indicator_label(evaluation: dict[str, Any]) -> str:
    return str(evaluation.get("indicator_name") or evaluation.get("indicator") or "?")


def unit_label(evaluation: dict[str, Any], layout: Layout) -> str:
    """What a difference is measured in: percentage points for a rate in %, else the unit."""
    unit = evaluation.get("indicator_unit")
    if unit == "%":
        return layout.t("chart.points")
    return str(unit) if unit else indicator_label(evaluation)


def with_unit(number: str, evaluation: dict[str, Any], layout: Layout) -> str:
    """A formatted difference with its unit: "1,0 Prozentpunkte" for a rate in %."""
    unit = evaluation.get("indicator_unit")
    if unit == "%":
        return layout.t("effect.unit_points", value=number)
    if unit:
        return layout.t("effect.unit_other", value=number, unit=unit)
    return number


def effect_decimals(evaluation: dict[str, Any]) -> int:
    """Places for the estimate, its interval and the MDE: as many as the standard error allows
    (from the interval's width where there is no standard error)."""
    se = finite(evaluation.get("se"))
    low, high = interval(evaluation)
    spread = se if se else (None if low is None or high is None else (high - low) / 3.92)
    return decimals_for(spread)


def judgement(evaluation: dict[str, Any] | None) -> str:
    """ "shown", "chance" or "untestable" (see the module docstring)."""
    if evaluation is None:
        return "untestable"
    low, high = interval(evaluation)
    pvalue = finite(evaluation.get("pvalue"))
    if finite(evaluation.get("estimate")) is None or low is None or high is None or pvalue is None:
        return "untestable"
    if pvalue <= SIGNIFICANT_AT and (low > 0 or high < 0):
        return "shown"
    return "chance"


def signed_change(
    evaluation: dict[str, Any], layout: Layout, unit: bool = True
) -> tuple[str, str, tuple[str, str]]:
    """The direction ("fell", "rose", "same"), the rounded size (with its unit unless `unit` is
    false), and the interval's ends turned to the direction ("" for an unbounded end)."""
    fmt = layout.fmt
    estimate = finite(evaluation.get("estimate"))
    assert estimate is not None
    low, high = interval(evaluation)
    decimals = effect_decimals(evaluation)
    size = round_half_up(abs(estimate), decimals)
    if size == 0:
        direction, shown = "same", (low, high)
    elif estimate < 0:
        direction, shown = "fell", (None if high is None else -high, None if low is None else -low)
    else:
        direction, shown = "rose", (low, high)
    ends = tuple("" if end is None else fmt.number(end, decimals) for end in shown)
    amount = fmt.number(size, decimals)
    if unit:
        amount = with_unit(amount, evaluation, layout)
    return direction, amount, (ends[0], ends[1])


def effect_sentences(evaluation: dict[str, Any], program: str, layout: Layout) -> list[str]:
    """The estimate in words and its uncertainty (a note where there is no overall estimate)."""
    t, fmt = layout.t, layout.fmt
    if finite(evaluation.get("estimate")) is None:
        return [t("effect.no_estimate")]
    direction, amount, (low, high) = signed_change(evaluation, layout)
    if low and high:
        bounds = t("effect.interval", level=level(evaluation, layout), low=low, high=high)
    else:
        bounds = t("effect.interval_unbounded")
    sentences = [
        t(
            f"effect.{direction}",
            indicator=indicator_label(evaluation),
            program=program,
            amount=amount,
            interval=bounds,
        )
    ]
    pvalue = finite(evaluation.get("pvalue"))
    verdict = judgement(evaluation)
    if pvalue is None:
        sentences.append(t("effect.no_pvalue"))
    elif verdict == "shown":
        sentences.append(t("effect.clear", p=fmt.pvalue(pvalue)))
    elif pvalue < WEAK_BELOW:
        sentences.append(t("effect.weak", p=fmt.pvalue(pvalue)))
    else:
        sentences.append(t("effect.chance", p=fmt.pvalue(pvalue)))
    lowest, highest = interval(evaluation)
    covers_zero = lowest is not None and highest is not None and lowest <= 0 <= highest
    if covers_zero and direction != "same":
        sentences.append(t("effect.ci_zero"))
    return sentences


def estimate_line(evaluation: dict[str, Any], layout: Layout) -> str | None:
    """The estimate as analysts write it: signed, with standard error, interval and p-value."""
    t, fmt = layout.t, layout.fmt
    estimate, se = finite(evaluation.get("estimate")), finite(evaluation.get("se"))
    if estimate is None:
        return None
    low, high = interval(evaluation)
    decimals = decimals_for(se)
    unknown = t("cover.unknown")
    pvalue = finite(evaluation.get("pvalue"))
    return t(
        "program.estimate",
        estimate=with_unit(fmt.number(estimate, decimals), evaluation, layout),
        se=unknown if se is None else fmt.number(se, decimals + 1),
        level=level(evaluation, layout),
        low=unknown if low is None else fmt.number(low, decimals),
        high=unknown if high is None else fmt.number(high, decimals),
        p=unknown if pvalue is None else fmt.pvalue(pvalue),
    )


def detectable_effect(evaluation: dict[str, Any], layout: Layout, unit: bool = True) -> str | None:
    """The minimum detectable effect with its unit ("0,6 Prozentpunkte"; without it unless
    `unit`); None without one."""
    mde = evaluation.get("mde")
    effect = finite(mde.get("effect")) if isinstance(mde, dict) else None
    if effect is None:
        return None
    number = layout.fmt.number(effect, effect_decimals(evaluation))
    return with_unit(number, evaluation, layout) if unit else number


def mde_sentence(evaluation: dict[str, Any], layout: Layout) -> str | None:
    """ "Wirkungen kleiner als 0,8 Prozentpunkte lassen sich mit diesen 6 Quartieren nicht vom
    Zufall unterscheiden."; why there is no such number; None where the result has no `mde`."""
    t = layout.t
    mde = evaluation.get("mde")
    if not isinstance(mde, dict):
        return None
    treated = int(evaluation.get("n_treated") or 0)
    shown = detectable_effect(evaluation, layout)
    if shown is not None:
        key = "mde.sentence_one" if treated == 1 else "mde.sentence"
        return t(key, mde=shown, n=layout.fmt.integer(treated))
    reason = mde.get("reason")
    if reason == "too_few_assignments":
        return t("mde.too_few_assignments", n=layout.fmt.integer(treated))
    if reason == "no_standard_error":
        return t("mde.no_standard_error")
    return None


def sensitivity_sentences(evaluation: dict[str, Any], layout: Layout) -> list[str]:
    """How far trends may have diverged after the start before the claim falls (Rambachan & Roth
    2023, relative magnitudes): nothing where there is no claim to qualify ("not_significant")."""
    t, fmt = layout.t, layout.fmt
    sensitivity = evaluation.get("sensitivity")
    if not isinstance(sensitivity, dict):
        return []
    mbar = finite(sensitivity.get("breakdown_mbar"))
    if mbar is not None:
        shown = fmt.number(mbar, 1 if mbar >= 0.1 else 2)
        sentences = [t("sensitivity.holds", mbar=shown)]
        if mbar < FRAGILE_BELOW:
            sentences.append(t("sensitivity.fragile"))
        return sentences
    reason = str(sensitivity.get("reason") or "")
    if reason == "not_significant" or judgement(evaluation) != "shown":
        return []
    key = f"sensitivity.{reason}"
    return [t(key)] if t.has(key) else []
