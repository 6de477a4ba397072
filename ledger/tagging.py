"""Tagging: which measure a posting belongs to, and how its cents reach districts.

Pure functions of the catalog version in force and the postings: `ledger.spending` applies them
on the fly (an older catalog with `--as-of`), `ledger.derived_allocation` keeps their result for
the newest catalog in a table and re-applies them to new postings only. Matching tests each
rule on the distinct values of its field (hundreds) and reaches postings through integer codes,
never as a per-posting loop over rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

RULE_FIELDS: tuple[str, ...] = ("cost_center", "product", "account", "order_no")
SHARE_SCALE = 1_000_000  # shares are used to six decimal places


@dataclass(frozen=True)
class Rule:
    """One rule cell: exact codes and prefixes (written with a trailing `*`)."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Rule:
        parts = [p.strip() for p in str(text).split(",") if p.strip()]
        return cls(
            exact=frozenset(p for p in parts if not p.endswith("*")),
            prefixes=tuple(p[:-1] for p in parts if p.endswith("*")),
        )

    def matches(self, values: pd.Series) -> np.ndarray:
        hit = values.isin(self.exact).to_numpy()
        if self.prefixes:
            hit = hit | values.str.startswith(self.prefixes).to_numpy()
        return hit


class AmbiguousPostings(ValueError):
    """Postings that two measures claim; the catalog must be fixed before figures are shown."""

    def __init__(self, examples: pd.DataFrame, count: int) -> None:
        self.examples = examples
        self.count = count
        lines = [
            f"posting {r.posting_id} ({r.account}, cost center {r.cost_center}, "
            f"{r.booking_date}) matches measures {r.measures}"
            for r in examples.itertuples()
        ]
        super().__init__(
            f"{count} posting(s) match more than one measure; make the rules exclusive:\n"
            + "\n".join(lines)
        )


def claim_measures(postings: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """posting_id, measure: every measure whose rules and dates claim a posting, one row per
    (posting, measure) — a posting with two rows is ambiguous. Errors as data, for callers that
    keep ambiguous postings aside instead of stopping (`ledger.derived_allocation`).

    postings: id, booking_date, and the RULE_FIELDS. measures: code, start_date, end_date and the
    RULE_FIELDS (rule text or None). A measure claims a posting when every rule it fills matches
    and the booking date lies in its window. Rules are evaluated on the distinct values of each
    rule field; postings reach them through integer codes of their combination of fields.
    """
    empty = pd.DataFrame(
        {"posting_id": pd.Series(dtype="int64"), "measure": pd.Series(dtype=object)}
    )
    if postings.empty or measures.empty:
        return empty
    keys = postings[list(RULE_FIELDS)].fillna("").astype(str)
    joined = keys[RULE_FIELDS[0]].str.cat([keys[f] for f in RULE_FIELDS[1:]], sep="\x1f")
    combo_of, _ = pd.factorize(joined)
    first = np.unique(combo_of, return_index=True)[1]
    combos = keys.iloc[first].reset_index(drop=True)
    # A rule is tested once per distinct value of its field (hundreds), not per combination.
    field_codes, field_values = {}, {}
    for field in RULE_FIELDS:
        codes, values = pd.factorize(combos[field])
        field_codes[field], field_values[field] = codes, pd.Series(values, dtype=object)
    hits = []
    for measure in measures.itertuples():
        mask = np.ones(len(combos), dtype=bool)
        for field in RULE_FIELDS:
            rule_text = getattr(measure, field)
            if rule_text is not None and not pd.isna(rule_text) and str(rule_text).strip():
                hit = Rule.parse(rule_text).matches(field_values[field])
                mask &= hit[field_codes[field]]
        if mask.any():
            combo = np.flatnonzero(mask)
            hits.append(
                pd.DataFrame({"combo": combo, "measure": measure.code, "_seq": measure.Index})
            )
    if not hits:
        return empty
    claimed = pd.DataFrame(
        {
            "posting_id": postings["id"].to_numpy(),
            "booking_date": postings["booking_date"].to_numpy(),
            "combo": combo_of,
        }
    )
    candidates = claimed.merge(pd.concat(hits), on="combo")
    windows = measures[["start_date", "end_date"]].rename_axis("_seq").reset_index()
    candidates = candidates.merge(windows, on="_seq")
    day = pd.to_datetime(candidates["booking_date"])
    inside = (
        candidates["start_date"].isna() | (pd.to_datetime(candidates["start_date"]) <= day)
    ) & (candidates["end_date"].isna() | (pd.to_datetime(candidates["end_date"]) >= day))
    return (
        candidates.loc[inside.to_numpy(), ["posting_id", "measure"]]
        .drop_duplicates()
        .sort_values(["posting_id", "measure"])
        .reset_index(drop=True)
    )


def ambiguous_postings(claims: pd.DataFrame) -> pd.Index:
    """posting_ids that more than one measure claims (claims from `claim_measures`)."""
    counts = claims["posting_id"].value_counts()
    return pd.Index(np.sort(counts.index[counts.to_numpy() > 1].to_numpy()), name="posting_id")


def match_measures(postings: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """posting_id -> measure code, for postings some measure's rules and dates claim.

    Raises AmbiguousPostings when a posting matches two measures on its booking date (the
    first ten by posting id as examples).
    """
    claims = claim_measures(postings, measures)
    ambiguous = ambiguous_postings(claims)
    if len(ambiguous):
        first = ambiguous[:10]
        named = claims[claims["posting_id"].isin(first)].groupby("posting_id")["measure"]
        examples = postings.set_index("id").loc[first].reset_index()
        examples = examples.rename(columns={"id": "posting_id"})
        examples["measures"] = [", ".join(named.get_group(p)) for p in first]
        raise AmbiguousPostings(examples, len(ambiguous))
    return claims


def allocate(matched: pd.DataFrame, allocations: pd.DataFrame) -> pd.DataFrame:
    """Split each matched posting's cents over the districts whose shares are valid that day.

    matched: posting_id, measure, booking_date, amount_cents. allocations: measure, district,
    share (Decimal), valid_from, valid_to (None = open). Returns posting_id, measure, district
    (None where the measure has no valid allocation: unattributed), share, allocated_cents.

    Exact to the cent by the largest-remainder method on the absolute amount: every district
    gets the floor of its share, the cents left over go one each to the largest remainders, ties
    to the lower district code; the sign is applied last, so a refund is the mirror image of the
    payment. Shares are used to six decimals and normalised to their sum (validated to be 1).
    """
    columns = ["posting_id", "measure", "district", "share", "allocated_cents"]
    if matched.empty:
        return pd.DataFrame(columns=columns)
    if allocations.empty:
        pairs = matched.assign(district=None, share=None)
    else:
        pairs = matched.merge(allocations, on="measure", how="left")
        day = pd.to_datetime(pairs["booking_date"])
        valid = (
            pairs["district"].notna()
            & (pairs["valid_from"].isna() | (pd.to_datetime(pairs["valid_from"]) <= day))
            & (pairs["valid_to"].isna() | (pd.to_datetime(pairs["valid_to"]) >= day))
        )
        kept = pairs[valid.to_numpy()]
        lost = matched[~matched["posting_id"].isin(kept["posting_id"])]
        pairs = pd.concat([kept, lost.assign(district=None, share=None)], ignore_index=True)
    attributed = pairs[pairs["district"].notna()].copy()
    unattributed = pairs[pairs["district"].isna()].copy()
    unattributed["allocated_cents"] = unattributed["amount_cents"].astype("int64")
    if not attributed.empty:
        attributed["allocated_cents"] = _largest_remainder(attributed)
    result = pd.concat([attributed, unattributed], ignore_index=True)
    return (
        result[columns]
        .sort_values(["posting_id", "district"], na_position="last")
        .reset_index(drop=True)
    )


def _largest_remainder(pairs: pd.DataFrame) -> np.ndarray:
    # A catalog has a few hundred distinct shares: convert each once, not once per pair.
    scaled = {s: int((Decimal(s) * SHARE_SCALE).to_integral_value()) for s in set(pairs["share"])}
    weight = pairs["share"].map(scaled).astype("int64")
    total_weight = weight.groupby(pairs["posting_id"]).transform("sum")
    magnitude = pairs["amount_cents"].astype("int64").abs()
    # |amount| < 1e12 cents and weight <= 1e6 keep the product inside int64.
    raw = magnitude.to_numpy() * weight.to_numpy()
    base = raw // total_weight.to_numpy()
    remainder = raw % total_weight.to_numpy()
    frame = pd.DataFrame(
        {
            "posting_id": pairs["posting_id"].to_numpy(),
            "district": pairs["district"].to_numpy(),
            "base": base,
            "remainder": remainder,
            "magnitude": magnitude.to_numpy(),
        },
        index=pairs.index,
    )
    leftover = frame["magnitude"] - frame.groupby("posting_id")["base"].transform("sum")
    order = frame.sort_values(
        ["posting_id", "remainder", "district"], ascending=[True, False, True]
    )
    rank = order.groupby("posting_id").cumcount()
    bonus = (rank < leftover.loc[order.index]).astype("int64")
    cents = (order["base"] + bonus).loc[pairs.index].to_numpy()
    sign = np.sign(pairs["amount_cents"].astype("int64").to_numpy())
    return cents * np.where(sign < 0, -1, 1)
