"""What the city-scale studies record per fit and how they tabulate it (shared by
benchmarks/placebo_city_scale.py and benchmarks/simulation_city_scale.py).

Every panel is evaluated twice: with the NEW default (`evaluate_panel` without options) and with
the OLD default reached explicitly (`inference="analytic"` where auto picks Callaway & Sant'Anna,
three or more treated units; `inference="placebo"` where it picks synthetic DiD, one or two).
Before the new default lands on main the two rows are the same method and agree to the digit.

Results are read through `PanelEvaluation.to_dict()` with `.get`, so the scripts run before and
after the new default: `pretrend` (a dict with pvalue, testable, reason) falls back to the old
`pretrend_pvalue`, and `mde` is recorded when present.
"""

from __future__ import annotations

import subprocess
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import evaluation
from evaluation.panel_evaluation import STAGGERED_FROM, EvaluationOptions, evaluate_panel

ALPHA = 0.05  # significant: p ≤ ALPHA (a randomization p-value of exactly 0.05 rejects)
PRETREND_ALARM = 0.10  # the pre-trend test "alarms" at p < 0.10
METHODS = ("new default", "old default")
REPO = Path(__file__).resolve().parents[1]


def old_default(n_treated: int) -> EvaluationOptions:
    """The default before randomization inference: analytic CS errors, SDID placebo errors."""
    return EvaluationOptions(inference="analytic" if n_treated >= STAGGERED_FROM else "placebo")


def evaluate_defaults(
    frame: pd.DataFrame,
    n_treated: int,
    effect: float,
    keys: Mapping[str, Any],
    methods: tuple[str, ...] = METHODS,
) -> list[dict[str, Any]]:
    """The defaults named in `methods` on one panel (columns unit, period, outcome, cohort).

    effect: the constant effect added to the treated post-period cells (the interval should
    cover it). A fit that raises is a row with its error, counted in the tables, never dropped.
    """
    rows = []
    options_of = {"new default": None, "old default": old_default(n_treated)}
    for method in methods:
        options = options_of[method]
        row: dict[str, Any] = {**keys, "effect": effect, "method": method}
        started = time.process_time()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = evaluate_panel(frame, "outcome", "unit", "period", "cohort", options)
            row.update(_read(result.to_dict()), error="")
        except Exception as error:  # counted as a failure in the table
            row.update(chosen="", estimate=np.nan, ci_low=np.nan, ci_high=np.nan, pvalue=np.nan)
            row["error"] = f"{type(error).__name__}: {error}"[:200]
        row["cpu_seconds"] = time.process_time() - started
        rows.append(row)
    return rows


def _read(document: Mapping[str, Any]) -> dict[str, Any]:
    low, high = document.get("ci") or (None, None)
    pvalue = _float(document.get("pvalue"))
    # JSON has no infinity: with a p-value, a missing end is an unbounded interval (placebo
    # ranks that cannot reach 5 %); without one there is no interval at all.
    bound = np.isfinite(pvalue)
    mde = document.get("mde")
    pretrend = document.get("pretrend")
    if isinstance(pretrend, Mapping):
        p = pretrend.get("pvalue")
        testable = bool(pretrend.get("testable")) and p is not None
        reason = pretrend.get("reason") or ""
    else:  # before the new default: only a p-value, None when it was not computed
        p = document.get("pretrend_pvalue")
        testable, reason = p is not None, ""
    return {
        "chosen": document.get("method"),
        "estimate": _float(document.get("estimate")),
        "ci_low": -np.inf if low is None and bound else _float(low),
        "ci_high": np.inf if high is None and bound else _float(high),
        "pvalue": pvalue,
        "pretrend_testable": testable,
        "pretrend_pvalue": _float(p),
        "pretrend_reason": str(reason)[:120],
        "mde": _float(_number_in(mde)),
        "mde_reason": str(mde.get("reason") or "") if isinstance(mde, Mapping) else "",
        "inference": str(document.get("inference", ""))[:160],
    }


def _number_in(value: Any) -> float | None:
    """A number, or the first number under a usual key of a dict (the MDE's layout may vary)."""
    if isinstance(value, Mapping):
        for key in ("value", "mde", "effect", "estimate"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
        return None
    return float(value) if isinstance(value, int | float) else None


def _float(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else np.nan


def _share(hits: pd.Series) -> tuple[float, float, int]:
    n = int(hits.size)
    p = float(hits.mean()) if n else np.nan
    return p, float(np.sqrt(p * (1 - p) / n)) if n else np.nan, n


def summarise(raw: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per `by` and method: draws, failures, size at effect 0, coverage and power at the known
    effect (each with its Monte Carlo SE), pre-trend test computed and alarming, mean MDE, CPU.

    Shares are over the fits that gave a p-value; the others (an error, or no p-value) are
    counted beside them as failed.
    """
    records = []
    for key, rows in raw.groupby([*by, "method"], sort=False):
        good = (rows["error"].isna() | (rows["error"].astype(str) == "")) & rows["pvalue"].notna()
        ok = rows[good]
        null, shifted = ok[ok["effect"] == 0], ok[ok["effect"] != 0]
        size = _share(null["pvalue"] <= ALPHA)
        truth = shifted["effect"]
        cover = _share((shifted["ci_low"] <= truth) & (truth <= shifted["ci_high"]))
        power = _share(shifted["pvalue"] <= ALPHA)
        tested = null[null["pretrend_testable"].astype(bool)]
        alarm = _share(tested["pretrend_pvalue"] < PRETREND_ALARM)
        records.append(
            {
                **dict(zip([*by, "method"], key, strict=True)),
                "draws": int(rows.loc[rows["effect"] == 0, "draw"].nunique()),
                "effect_draws": int(rows.loc[rows["effect"] != 0, "draw"].nunique()),
                "failed": int((~good).sum()),
                "unbounded": float(np.isinf(null["ci_high"] - null["ci_low"]).mean()),
                "chosen": "/".join(sorted(set(ok["chosen"].dropna().astype(str)))),
                "size": size[0],
                "size_se": size[1],
                "coverage": cover[0],
                "coverage_se": cover[1],
                "power": power[0],
                "power_se": power[1],
                "effect": float(truth.mean()) if truth.size else np.nan,
                "pretrend_computed": len(tested) / len(null) if len(null) else np.nan,
                "pretrend_alarm": alarm[0],
                "pretrend_alarm_se": alarm[1],
                "mde": float(ok.loc[np.isfinite(ok["mde"]), "mde"].mean()),
                "cpu": float(rows["cpu_seconds"].mean()),
            }
        )
    # Rows in the order the keys first appear in `raw`, the new default above the old.
    table = pd.DataFrame(records)
    first = {key: i for i, key in enumerate(dict.fromkeys(map(tuple, raw[by].to_numpy())))}
    order = [first[tuple(key)] for key in table[by].to_numpy()]
    rank = table["method"].map({method: i for i, method in enumerate(METHODS)})
    table = table.assign(_order=order, _rank=rank).sort_values(["_order", "_rank"])
    return table.drop(columns=["_order", "_rank"]).reset_index(drop=True)


def markdown(table: pd.DataFrame, by: list[str]) -> str:
    """One Markdown row per `by` and method; shares in %, MCSE in parentheses."""
    head = [*by, "method", "draws", "failed", "chosen", "size (p ≤ 0.05 at 0)", "draws with effect"]
    head += ["coverage at effect", "power at effect", "effect", "pre-trend computed"]
    head += ["pre-trend alarms (p < 0.10)", "unbounded CI", "mean MDE", "CPU s per fit"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in table.to_dict("records"):
        cells = [str(row[name]) for name in by]
        cells += [row["method"], str(row["draws"]), str(row["failed"]), row["chosen"]]
        cells += [_pct(row["size"], row["size_se"]), str(row["effect_draws"])]
        cells += [_pct(row["coverage"], row["coverage_se"])]
        cells += [_pct(row["power"], row["power_se"]), f"{row['effect']:.3g}"]
        cells += [_pct(row["pretrend_computed"])]
        cells += [_pct(row["pretrend_alarm"], row["pretrend_alarm_se"]), _pct(row["unbounded"])]
        cells += ["–" if np.isnan(row["mde"]) else f"{row['mde']:.3g}", f"{row['cpu']:.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pct(value: float, se: float | None = None) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:.1%}" if se is None else f"{value:.1%} ({se:.1%})"


def code_state() -> str:
    """The commit the run evaluates, and where `evaluation` was imported from: a script run as
    `python benchmarks/x.py` from a worktree would otherwise import the editable install's copy."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %cs %s"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "evaluation"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", ""
    source = Path(evaluation.__file__).resolve().parent
    where = "" if source == REPO / "evaluation" else f"; WARNING evaluation from {source}"
    return f"commit {commit}{' (evaluation/ modified)' if dirty else ''}{where}"


class RawRows:
    """The raw rows of a study run: appended to `out` draw by draw (a run stopped half-way keeps
    what it did; a rerun appends), and the summary table with the run's CPU time at the end."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.first = not out.exists()
        self.frames: list[pd.DataFrame] = []
        self.started = time.process_time()

    def add(self, rows: list[dict[str, Any]]) -> None:
        frame = pd.DataFrame(rows)
        frame.to_csv(self.out, mode="a", header=self.first, index=False)
        self.first = False
        self.frames.append(frame)

    def finish(self, by: list[str]) -> None:
        raw = pd.concat(self.frames, ignore_index=True)
        print(markdown(summarise(raw, by), by))
        print(f"\n{len(raw)} fits, {time.process_time() - self.started:.0f} CPU s; {code_state()}")
