"""Indicator values of one area system carried to another through a crosswalk.

Cities redraw their small areas (Berlin replaced its 447 planning areas by 542 in 2021), and a
panel must then either start again or carry the new areas' values back to the old ones. A
crosswalk file lists which codes of the two systems belong together; `import indicators FILE
--crosswalk CROSSWALK` reads FILE in its own codes and stores the values under the districts
already in the ledger. Nothing here is specific to one city.

The crosswalk is a relation, read in both directions: an overlap list such as Berlin's
`berlin-lor-matches.json` lists some pairs under the new code and others only under the old one,
and overlap is symmetric. Only pairs that link a code of the file to a district of the ledger
count; a code of the file that the crosswalk does not list but that is a ledger district is kept
as it is. Formats: a JSON object `{"code": ["code", …]}` (a single code instead of a list is
accepted), or a table (CSV, Excel) with a `from` and a `to` column (von/nach, alt/neu, old/new).

Which values are carried, per target district and period (a target is a ledger district):

- **one to one** (one source code, which links to this target only): the value and the
  population as they are.
- **many to one** (several source codes, each linking to this target only: the target was split
  into them, so together they cover it): the population-weighted mean of their values and the sum
  of their populations, from the file's population column of the same period. That is exact for
  shares whose denominator is the population and an approximation for shares of a sub-population
  (children, ages 15–64), whose counts the file does not give. The value is missing where one
  part's value is missing (it is not known what the part would add), and nothing is carried where
  a part has no population (no weight).
- **splits** (a source code linking to two targets or more) are not carried: dividing a share
  would need the inhabitants of each piece, which an area list does not give. Every target that
  a split touches gets no value from this file, even from its other sources, because those would
  cover only part of it. The summary names each split with its targets' codes and names.

An area list can be incomplete: a part of a district may be missing from it, or a neighbour's
area may be linked to it by a sliver of overlap. Where the ledger holds an earlier population of
the district, the carried population is checked against the newest one before the file's period:
a district whose population would change by more than `tolerance` (a share, settings
`[indicator_files] crosswalk_population_tolerance`) is not carried, and is named with both
populations (`population_mismatch`).

Every source code that the crosswalk does not link to a ledger district is named in the summary
(`unmatched`), and so is every ledger district that receives nothing (`not_covered`), so a reader
sees what the join lost. Values are pure pandas; reading the crosswalk file is the only I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from imports.german_values import normalise_codes
from imports.master_data.columns import MasterDataError, TableSpec, find_table, missing_table
from imports.problems import problem
from imports.readers import ReadLimits, read_tables

_TABLE = TableSpec(
    "crosswalk",
    ("Zuordnung", "Umschlüssel", "crosswalk", "matches"),
    {
        "from": ("from", "von", "alt", "old", "Quelle", "source"),
        "to": ("to", "nach", "neu", "new", "Ziel", "target"),
    },
    ("from", "to"),
)


@dataclass(frozen=True)
class Crosswalk:
    """The pairs of a crosswalk file. pairs: columns a, b (codes as text), as the file lists
    them; the relation is used in both directions."""

    path: Path
    pairs: pd.DataFrame


@dataclass(frozen=True)
class Joined:
    """Values and population under the ledger's district codes, and what the join did.

    values, population: as `IndicatorsFile.values` / `.population`, district = target code;
    `row` is the file row of the target's first source. summary: see `_summary`, plus
    no_population, population_mismatch and incomplete (module docstring).
    """

    values: pd.DataFrame
    population: pd.DataFrame
    summary: dict[str, Any]


def read_crosswalk(path: Path, limits: ReadLimits | None = None) -> Crosswalk:
    """Read a crosswalk file (module docstring). Raises MasterDataError when it lists no pair."""
    path = Path(path)
    if path.suffix.casefold() == ".json":
        pairs = _json_pairs(path)
    else:
        sheets = read_tables(path, limits or ReadLimits())
        table = find_table(path, sheets, _TABLE)
        if table is None:
            raise missing_table(path, sheets, _TABLE, problem("hint_crosswalk_json"))
        raw, _ = table.raw()
        pairs = pd.DataFrame({"a": normalise_codes(raw["from"]), "b": normalise_codes(raw["to"])})
    pairs = pairs.dropna().drop_duplicates().reset_index(drop=True)
    if pairs.empty:
        raise MasterDataError(problem("crosswalk_without_pairs", file=path.name))
    return Crosswalk(path, pairs)


def _json_pairs(path: Path) -> pd.DataFrame:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MasterDataError(
            problem("crosswalk_not_json", file=path.name, reason=str(exc))
        ) from None
    if not isinstance(document, dict):
        raise MasterDataError(
            problem("crosswalk_not_object", file=path.name, found=type(document).__name__)
        )
    rows = [
        (str(key), str(code))
        for key, codes in document.items()
        for code in (codes if isinstance(codes, list) else [codes])
        if code is not None
    ]
    return pd.DataFrame(rows, columns=["a", "b"], dtype=object)


def links(crosswalk: Crosswalk, sources: set[str], targets: set[str]) -> pd.DataFrame:
    """source → target pairs between the file's codes and the ledger's districts, both
    directions of the crosswalk; a source the crosswalk does not list and that is a target
    itself links to itself."""
    pairs = crosswalk.pairs
    both = pd.concat(
        [pairs.rename(columns={"a": "source", "b": "target"}),
         pairs.rename(columns={"b": "source", "a": "target"})],
        ignore_index=True,
    )  # fmt: skip
    both = both[both["source"].isin(sources) & both["target"].isin(targets)]
    listed = set(pairs["a"]) | set(pairs["b"])
    kept = sorted((sources & targets) - listed)
    same = pd.DataFrame({"source": kept, "target": kept}, dtype=object)
    return pd.concat([both, same], ignore_index=True).drop_duplicates().reset_index(drop=True)


def join_through(
    values: pd.DataFrame,
    population: pd.DataFrame,
    crosswalk: Crosswalk,
    known: Mapping[str, str],
    earlier: pd.DataFrame,
    tolerance: float,
) -> Joined:
    """Carry a file's values and population to the ledger's districts (module docstring).

    values, population: the frames of `parse_indicators` (district = the file's codes).
    known: the ledger's district code → name. earlier: the ledger's population (district,
    period, population), for the check against `tolerance` (a share: 0.25 = 25 %). Raises
    MasterDataError when no value can be carried at all (the crosswalk links no code of the file
    to a ledger district).
    """
    sources = set(values["district"].dropna()) | set(population["district"].dropna())
    pairs = links(crosswalk, sources, set(known))
    fan_out = pairs.groupby("source")["target"].transform("size")
    split_targets = set(pairs.loc[fan_out > 1, "target"])
    carried = pairs[~pairs["target"].isin(split_targets)]
    parts = carried.groupby("target")["source"].size()
    weights = population.set_index(["district", "period"])["population"]
    joined_values, unweighted = _weighted_values(values, carried, parts, weights)
    joined_population = _summed_population(population, carried, unweighted)
    mismatch = _population_mismatch(joined_population, earlier, tolerance)
    joined_values = joined_values[~joined_values["district"].isin(mismatch)]
    joined_population = joined_population[~joined_population["district"].isin(mismatch)]
    if joined_values.empty and joined_population.empty:
        counts = problem(
            "crosswalk_counts",
            codes=len(sources),
            districts=len(known),
            pairs=len(crosswalk.pairs),
        )
        if pairs.empty:
            raise MasterDataError(
                problem("crosswalk_links_nothing", file=crosswalk.path.name, counts=counts)
            )
        raise MasterDataError(
            problem(
                "crosswalk_carries_nothing",
                file=crosswalk.path.name,
                counts=counts,
                failed=", ".join(sorted(mismatch)) or problem("none_found"),
            )
        )
    lost = set(unweighted) | set(mismatch)
    summary = _summary(crosswalk, pairs, fan_out, carried, parts, sources, known, lost)
    summary["no_population"] = {t: known[t] for t in unweighted}
    summary["population_mismatch"] = {
        t: {"name": known[t], **mismatch[t]} for t in sorted(mismatch)
    }
    merged = joined_values["district"].map(parts) > 1
    summary["incomplete"] = sorted(
        set(joined_values.loc[merged & joined_values["value"].isna(), "district"])
    )
    return Joined(
        joined_values.reset_index(drop=True), joined_population.reset_index(drop=True), summary
    )


def _weighted_values(
    values: pd.DataFrame, carried: pd.DataFrame, parts: pd.Series, weights: pd.Series
) -> tuple[pd.DataFrame, list[str]]:
    """Population-weighted means per target, indicator and period; and the targets of several
    parts that lacked a weight in some period (carried nowhere)."""
    frame = values.merge(carried.rename(columns={"source": "district"}), on="district")
    frame["parts"] = frame["target"].map(parts)
    keys = pd.MultiIndex.from_frame(frame[["district", "period"]])
    frame["weight"] = np.where(frame["parts"] > 1, weights.reindex(keys).to_numpy(), 1.0)
    group = ["target", "indicator", "period"]
    unweighted = frame.loc[frame["weight"].isna(), "target"]
    frame = frame[~frame["target"].isin(set(unweighted))]
    frame = frame.assign(weighted=frame["value"] * frame["weight"])
    grouped = frame.groupby(group, sort=False)
    out = grouped.agg(
        period_start=("period_start", "first"),
        period_end=("period_end", "first"),
        weighted=("weighted", lambda v: v.sum(min_count=len(v))),
        weight=("weight", "sum"),
        sheet=("sheet", "first"),
        row=("row", "min"),
    ).reset_index()
    out["value"] = out["weighted"] / out["weight"]
    out = out.rename(columns={"target": "district"})
    columns = ["district", "indicator", "period", "period_start", "period_end", "value"]
    out = out[[*columns, "sheet", "row"]].sort_values(["row", "indicator"], kind="stable")
    return out.reset_index(drop=True), sorted(set(unweighted))


def _summed_population(
    population: pd.DataFrame, carried: pd.DataFrame, unweighted: list[str]
) -> pd.DataFrame:
    """Population per target and period: the sum over its parts, where every part has one."""
    frame = population.merge(carried.rename(columns={"source": "district"}), on="district")
    frame = frame[~frame["target"].isin(set(unweighted))]
    expected = carried.groupby("target")["source"].size()
    grouped = frame.groupby(["target", "period"], sort=False)
    out = grouped.agg(
        period_start=("period_start", "first"),
        period_end=("period_end", "first"),
        population=("population", "sum"),
        found=("population", "size"),
        sheet=("sheet", "first"),
        row=("row", "min"),
    ).reset_index()
    out = out[out["found"] == out["target"].map(expected)].rename(columns={"target": "district"})
    columns = ["district", "period", "period_start", "period_end", "population", "sheet", "row"]
    out = out[columns].astype({"population": "int64"}).sort_values("row", kind="stable")
    return out.reset_index(drop=True)


def _population_mismatch(
    joined: pd.DataFrame, earlier: pd.DataFrame, tolerance: float
) -> dict[str, dict[str, Any]]:
    """Targets whose carried population differs from their newest earlier one by more than
    `tolerance`: target → {period, population, earlier_period, earlier_population}."""
    found: dict[str, dict[str, Any]] = {}
    stored = earlier.dropna(subset=["population"]).sort_values("period", kind="stable")
    for period, rows in joined.groupby("period"):
        before = stored[stored["period"] < period].drop_duplicates("district", keep="last")
        both = rows.merge(before, on="district", suffixes=("", "_before"))
        change = (both["population"] - both["population_before"]).abs()
        off = both[change > tolerance * both["population_before"]]
        for row in off.itertuples():
            found.setdefault(
                row.district,
                {
                    "period": period,
                    "population": int(row.population),
                    "earlier_period": row.period_before,
                    "earlier_population": int(row.population_before),
                },
            )
    return found


def _summary(
    crosswalk: Crosswalk,
    pairs: pd.DataFrame,
    fan_out: pd.Series,
    carried: pd.DataFrame,
    parts: pd.Series,
    sources: set[str],
    known: Mapping[str, str],
    lost: set[str],
) -> dict[str, Any]:
    """What the join did, every code it lost named (module docstring). carried: districts
    that received values; one_to_one; many_to_one: district → its parts; splits: source code →
    the districts it overlaps; unmatched: the file's codes the crosswalk links to no district;
    not_covered: districts that received nothing. lost: targets left out after all (no weight,
    population check)."""
    splits = pairs[fan_out > 1].groupby("source")["target"].agg(sorted)
    several = carried["target"].map(parts) > 1
    merged = carried[several].groupby("target")["source"].agg(sorted)
    reached = set(carried["target"]) - lost
    return {
        "file": crosswalk.path.name,
        "carried": len(reached),
        "one_to_one": len(reached & set(parts.index[parts == 1])),
        "many_to_one": {t: merged[t] for t in merged.index if t not in lost},
        "splits": [
            {"code": code, "into": {t: known[t] for t in splits[code]}} for code in splits.index
        ],
        "unmatched": sorted(sources - set(pairs["source"])),
        "not_covered": {t: known[t] for t in sorted(set(known) - reached)},
    }
