"""The synthetic city as a model: deterministic, plausible, exact, and true to its planted truth."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from monitor.demo import SyntheticCity, build_city


@pytest.fixture(scope="module")
def city() -> SyntheticCity:
    return build_city(0)


def _frames(city: SyntheticCity) -> dict[str, pd.DataFrame]:
    names = (
        "districts", "population", "indicators", "counterfactual", "measures", "allocations",
        "plan", "postings", "posting_measures",
    )  # fmt: skip
    return {name: getattr(city, name) for name in names}


def test_same_seed_gives_identical_city(city: SyntheticCity) -> None:
    again = build_city(0)
    for name, frame in _frames(city).items():
        pd.testing.assert_frame_equal(frame, _frames(again)[name], obj=name)
    assert again.correction == city.correction
    assert again.treatment_start_date == city.treatment_start_date
    assert again.planted_effects == city.planted_effects


def test_different_seeds_give_different_cities(city: SyntheticCity) -> None:
    other = build_city(1)
    assert not city.indicators["value"].equals(other.indicators["value"])
    assert len(city.postings) != len(other.postings) or not city.postings["amount"].equals(
        other.postings["amount"]
    )


def test_scale_multiplies_postings_but_leaves_indicators_alone(city: SyntheticCity) -> None:
    bigger = build_city(0, scale=3.0)
    assert len(bigger.postings) > 2 * len(city.postings)
    pd.testing.assert_frame_equal(bigger.indicators, city.indicators)
    pd.testing.assert_frame_equal(bigger.allocations, city.allocations)


def test_districts_are_duerens_23_sozialraeume_with_invented_populations(
    city: SyntheticCity,
) -> None:
    assert city.districts["district"].tolist() == [f"SR{i:02d}" for i in range(1, 24)]
    names = set(city.districts["name"])
    assert len(names) == 23
    assert {"Nord-Düren", "Süd-Ost", "Ost", "Rölsdorf", "Arnoldsweiler", "Birkesdorf",
            "Gürzenich", "Mariaweiler", "Niederau"} <= names  # fmt: skip
    population = city.population
    assert set(population["year"]) == set(city.years)
    assert population["population"].between(1_500, 9_000).all()
    per_year = population.groupby("year")["population"].sum()
    assert per_year.between(90_000, 96_000).all()


def test_indicator_levels_are_plausible_correlated_and_persistent(city: SyntheticCity) -> None:
    ind = city.indicators
    by_code = {code: frame for code, frame in ind.groupby("indicator")}
    assert set(by_code) == {"sgb2_quote", "kinderarmut", "arbeitslosigkeit", "grundsicherung_alter"}
    assert by_code["sgb2_quote"]["value"].between(5, 35).all()
    assert by_code["arbeitslosigkeit"]["value"].between(3, 15).all()
    assert by_code["kinderarmut"]["value"].dropna().between(5, 70).all()
    # yearly and quarterly periods
    assert set(by_code["sgb2_quote"]["period"]) == {str(y) for y in city.years}
    assert by_code["arbeitslosigkeit"]["period"].str.fullmatch(r"\d{4}-Q[1-4]").all()

    yearly = ind[ind["period"] == str(city.years[-1])].pivot(
        index="district", columns="indicator", values="value"
    )
    assert (yearly["kinderarmut"] > yearly["sgb2_quote"]).all()  # child poverty is higher
    assert yearly["sgb2_quote"].corr(yearly["kinderarmut"]) > 0.8
    assert yearly["sgb2_quote"].corr(yearly["grundsicherung_alter"]) > 0.5

    sgb2 = by_code["sgb2_quote"].pivot(index="district", columns="period", values="value")
    first, last = str(city.years[0]), str(city.years[-1])
    assert sgb2[first].corr(sgb2[last]) > 0.9  # deprivation persists
    assert (sgb2[last] - sgb2[first]).abs().max() < 6  # no wild jumps


def test_only_a_few_values_are_withheld_and_never_the_outcome(city: SyntheticCity) -> None:
    missing = city.indicators[city.indicators["value"].isna()]
    assert 1 <= len(missing) <= 3
    assert set(missing["indicator"]) <= {"kinderarmut", "grundsicherung_alter"}


def _effect_panel(city: SyntheticCity, indicator: str) -> pd.DataFrame:
    def panel(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame[frame["indicator"] == indicator]
        return rows.pivot(index="district", columns="period", values="value")

    return panel(city.indicators) - panel(city.counterfactual)


@pytest.mark.parametrize(
    "indicator", ["sgb2_quote", "kinderarmut", "arbeitslosigkeit", "grundsicherung_alter"]
)
def test_planted_effects_are_added_from_each_districts_treatment_start(
    city: SyntheticCity, indicator: str
) -> None:
    observed = _effect_panel(city, indicator)
    expected = pd.DataFrame(0.0, index=observed.index, columns=observed.columns)
    quarterly = indicator == "arbeitslosigkeit"
    starts = city.treatment_start_quarter if quarterly else city.treatment_start
    for program, districts in starts.items():
        effect = city.planted_effects_by_indicator[indicator][program]
        for district, start in districts.items():
            expected.loc[district, expected.columns >= str(start)] += effect
    gap = (observed - expected).abs().stack().dropna()
    assert gap.max() <= 0.1 + 1e-9  # both values are rounded to one decimal


def test_effects_on_sgb2_quote_are_as_documented(city: SyntheticCity) -> None:
    effects = city.planted_effects
    assert effects["Starke Quartiere"] < effects["Jugendzentren"] < effects["Schulsozialarbeit"] < 0
    assert [p for p, e in effects.items() if e == 0.0] == ["Familienzentren", "Seniorentreffs"]
    assert city.planted_effects_by_indicator["sgb2_quote"] == effects


def _naive_did(panel: pd.DataFrame, starts: dict[str, int], controls: list[str]) -> float:
    """Per treated district: change from the year before its start to the mean of the years from
    its start on, minus the same change in the program's untreated districts; averaged."""
    estimates = []
    for district, start in starts.items():
        post = [c for c in panel.columns if int(c) >= start]
        base = str(start - 1)
        treated = panel.loc[district, post].mean() - panel.loc[district, base]
        control = (panel.loc[controls, post].mean(axis=1) - panel.loc[controls, base]).mean()
        estimates.append(treated - control)
    return float(np.mean(estimates))


def _sgb2_panel(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame[frame["indicator"] == "sgb2_quote"]
    return rows.pivot(index="district", columns="period", values="value")


def test_design_lets_each_program_be_recovered_against_its_untreated_districts(
    city: SyntheticCity,
) -> None:
    """Noise-free: overlapping programs must not bias each other's simple comparison."""
    effects_only = _sgb2_panel(city.indicators) - _sgb2_panel(city.counterfactual)
    for program, starts in city.treatment_start.items():
        controls = [d for d in effects_only.index if d not in starts]
        estimate = _naive_did(effects_only, starts, controls)
        assert estimate == pytest.approx(city.planted_effects[program], abs=0.1), program


def test_planted_effects_are_visible_in_a_naive_comparison() -> None:
    estimates: dict[str, list[float]] = {}
    for seed in range(5):
        city = build_city(seed, scale=0.2)
        panel = _sgb2_panel(city.indicators)
        for program, starts in city.treatment_start.items():
            controls = [d for d in panel.index if d not in starts]
            estimates.setdefault(program, []).append(_naive_did(panel, starts, controls))
    for program, values in estimates.items():
        truth = city.planted_effects[program]
        assert np.mean(values) == pytest.approx(truth, abs=0.3), (program, values)
    assert np.mean(estimates["Starke Quartiere"]) < -1.0
    assert np.mean(estimates["Jugendzentren"]) < -0.6


def test_catalog_has_programs_staggered_starts_and_the_special_measures(
    city: SyntheticCity,
) -> None:
    measures, allocations = city.measures, city.allocations
    assert {"Jugendzentren", "Starke Quartiere", "Schulsozialarbeit", "Familienzentren",
            "Seniorentreffs", "Sozialraumplanung"} == set(measures["program"])  # fmt: skip
    assert measures["start"].dt.year.nunique() >= 5  # staggered
    jugend = city.treatment_start["Jugendzentren"]
    assert len(set(jugend.values())) >= 3  # staggered within a program
    unallocated = set(measures["measure"]) - set(allocations["measure"])
    assert unallocated == {"SRP-01"}
    changes = allocations.groupby("measure")["valid_from"].nunique()
    assert (changes > 1).any()  # a share that changes on a date
    nord = city.districts.set_index("name").loc["Nord-Düren", "district"]
    single = allocations[allocations["measure"] == "SQ-01"]
    assert single["district"].tolist() == [nord]
    assert city.treatment_start["Starke Quartiere"] == {nord: city.years[0] + 3}
    # selection on need, with enough never-treated districts
    assert len(city.never_treated) >= 6
    latest = city.indicators[city.indicators["period"] == str(city.years[0])]
    sgb2 = latest[latest["indicator"] == "sgb2_quote"].set_index("district")["value"]
    treated = {d for s in city.treatment_start.values() for d in s}
    effective = {
        d for p, s in city.treatment_start.items() if city.planted_effects[p] != 0 for d in s
    }
    assert sgb2[list(effective)].mean() > sgb2[list(city.never_treated)].mean() + 5
    assert treated | set(city.never_treated) == set(city.districts["district"])


def test_shares_valid_on_any_day_sum_to_one(city: SyntheticCity) -> None:
    last_day = pd.Timestamp(city.years[-1], 12, 31)
    for measure in city.measures.itertuples(index=False):
        rows = city.allocations[city.allocations["measure"] == measure.measure]
        if rows.empty:
            continue
        assert all(isinstance(s, Decimal) for s in rows["share"])
        end = last_day if pd.isna(measure.end) else measure.end
        days = pd.date_range(measure.start, end, freq="D")
        total = np.zeros(len(days), dtype="int64")
        for row in rows.itertuples(index=False):
            valid_to = last_day if pd.isna(row.valid_to) else row.valid_to
            total += ((days >= row.valid_from) & (days <= valid_to)) * int(row.share * 10_000)
        assert (total == 10_000).all(), measure.measure


def _rule_matches(values: pd.Series, rule: object) -> pd.Series:
    if pd.isna(rule):
        return pd.Series(True, index=values.index)
    hit = pd.Series(False, index=values.index)
    for alternative in str(rule).split(","):
        alternative = alternative.strip()
        if alternative.endswith("*"):
            hit |= values.fillna("").str.startswith(alternative[:-1])
        else:
            hit |= values.eq(alternative).fillna(False)
    return hit


def test_posting_measures_follow_the_rules_and_no_posting_matches_two(
    city: SyntheticCity,
) -> None:
    postings = city.postings
    matched = pd.Series([None] * len(postings), index=postings.index, dtype=object)
    for m in city.measures.itertuples(index=False):
        hit = pd.Series(True, index=postings.index)
        for column in ("cost_center", "product", "account", "order"):
            hit &= _rule_matches(postings[column], getattr(m, column))
        assert matched[hit].isna().all(), f"{m.measure} overlaps another measure"
        matched[hit] = m.measure
    truth = city.posting_measures
    assert truth[["fiscal_year", "document_no", "line_no"]].equals(
        postings[["fiscal_year", "document_no", "line_no"]]
    )
    assert matched.fillna("-").tolist() == truth["measure"].fillna("-").tolist()
    assert truth["measure"].isna().any()  # spending of no measure exists
    assert matched.eq("SRP-01").any()  # unattributed measure spending exists


def test_treatment_starts_are_the_first_periods_with_attributed_spending(
    city: SyntheticCity,
) -> None:
    postings = city.postings.assign(measure=city.posting_measures["measure"])
    spending = postings[postings["account"].str.startswith("5") & postings["measure"].notna()]
    program_of = city.measures.set_index("measure")["program"]
    first: dict[tuple[str, str], pd.Timestamp] = {}
    for row in city.allocations.itertuples(index=False):
        valid_to = pd.Timestamp.max if pd.isna(row.valid_to) else row.valid_to
        rows = spending[
            (spending["measure"] == row.measure)
            & spending["booking_date"].between(row.valid_from, valid_to)
        ]
        if rows.empty:
            continue
        key = (program_of[row.measure], row.district)
        first[key] = min(first.get(key, pd.Timestamp.max), rows["booking_date"].min())
    expected = {(p, d): y for p, ds in city.treatment_start.items() for d, y in ds.items()}
    assert {k: v.year for k, v in first.items()} == expected
    for (program, district), day in first.items():
        quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        assert city.treatment_start_quarter[program][district] == quarter


def test_amounts_are_exact_decimal_cents(city: SyntheticCity) -> None:
    for frame in (city.postings, city.plan):
        assert all(isinstance(a, Decimal) and a.as_tuple().exponent == -2 for a in frame["amount"])
    cents = sum(int(a * 100) for a in city.postings["amount"])
    assert sum(city.postings["amount"], Decimal(0)) == Decimal(cents) / 100
    assert all(a % 100 == 0 and a > 0 for a in city.plan["amount"])


def test_postings_look_like_an_nkf_ledger(city: SyntheticCity) -> None:
    p = city.postings
    assert p["account"].str.fullmatch(r"[4-7]\d{5}").all()
    spending = p[p["account"].str.startswith("5")]
    assert spending["account"].str.startswith("5011").any()  # personnel
    assert spending["account"].str.startswith("5012").any()
    assert spending["account"].str.startswith("5291").any()  # services
    assert (spending["account"] == "531800").any()  # transfers
    assert (spending["amount"] < 0).any()  # refunds and cancellations
    assert p["text"].str.startswith("Storno Beleg").any()
    income = p[p["account"].str.startswith("4")]
    assert (income["account"] == "414100").any()
    assert (income["amount"] < 0).all()  # credits
    assert p["product"].str.fullmatch(r"0[56]\.\d{2}\.\d{2}").all()
    assert p["order"].dropna().str.fullmatch(r"7\d{5}").all()
    assert (p["booking_date"].dt.year == p["fiscal_year"]).all()
    assert (p["document_no"].str[:2].astype(int) == p["fiscal_year"] % 100).all()
    assert not p.duplicated(["fiscal_year", "document_no", "line_no"]).any()
    lines = p.groupby(["fiscal_year", "document_no"])["line_no"].agg(["min", "max", "count"])
    assert (lines["min"] == 1).all() and (lines["max"] == lines["count"]).all()
    assert (lines["count"] > 1).any()  # multi-line documents (payroll, utility invoices)
    # The journal layout has no line numbers: these columns must identify a posting too.
    assert not p.duplicated(
        ["fiscal_year", "document_no", "account", "product", "cost_center"]
    ).any()


def test_correction_is_a_first_quarter_posting_of_the_last_year(city: SyntheticCity) -> None:
    c = city.correction
    key = (
        (city.postings["fiscal_year"] == c.fiscal_year)
        & (city.postings["document_no"] == c.document_no)
        & (city.postings["line_no"] == c.line_no)
    )
    row = city.postings[key]
    assert len(row) == 1
    assert row["amount"].iloc[0] == c.new_amount != c.old_amount
    assert c.fiscal_year == city.years[-1]
    assert row["booking_date"].iloc[0] <= pd.Timestamp(city.cumulative_cutoffs[0])


def test_export_layouts_cover_every_year_once(city: SyntheticCity) -> None:
    layouts = city.export_layouts
    assert sorted(layouts) == list(city.years)
    assert set(layouts.values()) == {"csv", "journal", "sap", "sap_cumulative"}
    assert layouts[city.years[-1]] == "sap_cumulative"


def test_smaller_city_keeps_its_shape() -> None:
    small = build_city(4, districts=12, years=range(2019, 2024), scale=0.3)
    assert len(small.districts) == 12
    assert "Nord-Düren" in set(small.districts["name"])
    nord = small.districts.set_index("name").loc["Nord-Düren", "district"]
    assert list(small.treatment_start["Starke Quartiere"]) == [nord]
    for starts in small.treatment_start.values():
        assert all(2020 <= year <= 2023 for year in starts.values())
    sums = small.allocations.groupby(["measure", "valid_from"])["share"].sum()
    assert (sums == Decimal(1)).all()


def test_larger_city_gets_synthetic_names() -> None:
    large = build_city(0, districts=30, years=range(2016, 2025), scale=0.2)
    assert large.districts["district"].iloc[-1] == "SR30"
    assert large.districts["name"].iloc[-1] == "Synthetischer Sozialraum 30"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"districts": 5}, "districts"),
        ({"years": range(2020, 2023)}, "years"),
        ({"scale": 0}, "scale"),
    ],
)
def test_rejects_impossible_cities(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build_city(0, **kwargs)


def test_measures_parameter_grows_the_catalog_into_placebo_programs() -> None:
    base = build_city(2, districts=40, years=range(2015, 2025), scale=0.2)
    large = build_city(2, districts=40, years=range(2015, 2025), scale=0.2, measures=200)
    measures, allocations = large.measures, large.allocations
    assert len(measures) == 200 and measures["measure"].is_unique
    assert 10 <= measures["program"].nunique() <= 20
    assert measures["program"].value_counts().max() <= 16
    # the demo's sixteen measures stay as they are; every extra program is a placebo
    pd.testing.assert_frame_equal(measures.iloc[:16], base.measures)
    extra = set(measures["program"]) - set(base.measures["program"])
    assert {large.planted_effects[p] for p in extra} == {0.0}
    pd.testing.assert_frame_equal(large.indicators, base.indicators)
    # every extra measure has shares summing to one on every day it runs
    sums = allocations.groupby(["measure", "valid_from"])["share"].sum()
    assert (sums == Decimal(1)).all()
    assert set(measures["measure"]) - set(allocations["measure"]) == {"SRP-01"}
    # postings reach every measure; each extra program serves the neediest 60 % of the
    # districts at most (24 of 40), so it keeps never-treated districts as controls
    truth = large.posting_measures["measure"]
    assert set(truth.dropna()) == set(measures["measure"])
    assert len(large.postings) > 3 * len(base.postings)
    for program in extra:
        assert 0 < len(large.treatment_start[program]) <= 24


def test_the_default_catalog_is_the_demos_sixteen_measures(city: SyntheticCity) -> None:
    assert len(city.measures) == 16
    assert set(city.planted_effects) == set(city.measures["program"]) - {"Sozialraumplanung"}
    with pytest.raises(ValueError, match="measures"):
        build_city(0, measures=15)
