"""The synthetic city's postings: what a municipal finance system would export for its measures.

Postings are generated from *streams* — recurring bookings of one kind on one cost center and
account (monthly payroll, a quarterly rent, a yearly state grant, a random number of invoices per
month) — and then grouped into documents and numbered per fiscal year, as a finance system does.
Amounts are integer cents while generating and `Decimal` with two places in the result; no
float ever carries money.

Sign convention (SPEC §4): amount signed, debit (Soll) positive, credit (Haben) negative. Income
(class 4, e.g. state grants 414100) is negative; refunds on expense accounts are negative
spending; a cancellation ("Storno") books the negative of an earlier invoice.

Every document holds at most one line per (account, product, cost center), so the journal layout
without line numbers still identifies each posting by fiscal year, document, account, product and
cost center.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd

from monitor.demo.synthetic_measures import Measure

POSTING_COLUMNS = (
    "fiscal_year", "document_no", "line_no", "booking_date", "account", "product",
    "cost_center", "order", "text", "amount",
)  # fmt: skip


@dataclass(frozen=True)
class Correction:
    """One posting whose amount an overlapping later export corrects under the same key.

    `old_amount` is in the earlier cumulative export(s), `new_amount` in `postings` and every
    later export. Amounts: Decimal euros, signed, debit positive.
    """

    fiscal_year: int
    document_no: str
    line_no: int
    old_amount: Decimal
    new_amount: Decimal

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.fiscal_year, self.document_no, self.line_no)


@dataclass(frozen=True)
class _Stream:
    """Recurring bookings on one account; amounts in euros before noise, sign applied last."""

    kind: str  # payroll | energy | monthly | quarterly | yearly | invoices | refund
    account: str
    cost_center: str
    product: str
    order: str | None
    text: str
    amount: float
    start: date
    end: date  # inclusive
    measure: str | None
    rate: float = 0.0  # invoices per month at scale 1
    sign: int = 1
    month: int = 6  # yearly and refund bookings: month of the booking
    texts: tuple[str, ...] = ()  # invoice texts, one picked per invoice
    cap: float = 10_000.0  # largest invoice


def _month_starts(start: date, end: date) -> np.ndarray:
    months = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)
    return months.astype("datetime64[D]")


def _random_business_days(months: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One random weekday within each given month (month starts as datetime64[D])."""
    following = (months.astype("datetime64[M]") + 1).astype("datetime64[D]")
    count = np.busday_count(months, following)
    pick = np.floor(rng.random(len(months)) * count).astype("int64")
    return np.busday_offset(months, pick, roll="forward")


def _month_text(days: np.ndarray) -> pd.Series:
    return pd.Series(days.astype("datetime64[ns]")).dt.strftime("%m/%Y")


def _generate(
    stream: _Stream, first_year: int, scale: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Rows of one stream: booking_date, text, cents, doc_group."""
    months = _month_starts(stream.start, stream.end)
    month_no = months.astype("datetime64[M]").astype("int64") % 12 + 1
    years = months.astype("datetime64[Y]").astype("int64") + 1970
    tariff = 1.025 ** (years - first_year)
    group: np.ndarray | None = None
    if stream.kind == "payroll":
        days = np.busday_offset(months + 24, 0, roll="backward")
        base = stream.amount * tariff * np.where(month_no == 11, 1.8, 1.0)  # Jahressonderzahlung
        euros = base * (1.0 + rng.normal(0.0, 0.01, len(months)))
        text = "Bezüge " + _month_text(months) + " " + stream.text
        group = np.array([f"PAY|{stream.cost_center}|{stream.order}|{m}" for m in months])
    elif stream.kind == "energy":
        days = np.busday_offset(months + 14, 0, roll="forward")
        season = np.select(
            [np.isin(month_no, (12, 1, 2)), np.isin(month_no, (6, 7, 8))], [1.3, 0.8], 1.0
        )
        price = np.where(np.isin(years, (2022, 2023)), 1.5, 1.0)  # energy price crisis
        euros = stream.amount * season * price * (1.0 + rng.normal(0.0, 0.03, len(months)))
        text = "Strom/Gas Abschlag " + _month_text(months) + " " + stream.text
        group = np.array([f"ENERGY|{m}" for m in months])  # one invoice of the utility per month
    elif stream.kind == "monthly":
        days = np.busday_offset(months, 0, roll="forward")
        euros = stream.amount * tariff * (1.0 + rng.normal(0.0, 0.01, len(months)))
        text = stream.text + " " + _month_text(months)
    elif stream.kind == "quarterly":
        keep = month_no % 3 == 1
        months, years, tariff = months[keep], years[keep], tariff[keep]
        days = np.busday_offset(months, 0, roll="forward")
        euros = np.full(len(months), stream.amount) * tariff
        quarter = (month_no[keep] - 1) // 3 + 1
        text = pd.Series(
            [f"{stream.text} {q}. Quartal {y}" for q, y in zip(quarter, years, strict=True)]
        )
    elif stream.kind in ("yearly", "refund"):
        keep = month_no == stream.month
        if stream.kind == "refund":  # refunds settle the previous year, some years only
            keep &= (years > stream.start.year) & (rng.random(len(months)) < 0.6)
        months, years = months[keep], years[keep]
        days = _random_business_days(months, rng)
        spread = 0.4 if stream.kind == "refund" else 0.02
        euros = stream.amount * np.exp(rng.normal(0.0, spread, len(months)))
        label = years - 1 if stream.kind == "refund" else years
        text = pd.Series([f"{stream.text} {y}" for y in label])
    elif stream.kind == "invoices":
        counts = rng.poisson(stream.rate * scale, len(months))
        months = np.repeat(months, counts)
        days = _random_business_days(months, rng)
        euros = np.clip(stream.amount * np.exp(rng.normal(0.0, 0.8, len(months))), 5.0, stream.cap)
        picked = rng.integers(0, len(stream.texts), len(months))
        text = pd.Series(np.asarray(stream.texts, dtype=object)[picked]).radd(stream.text)
    else:
        raise ValueError(f"unknown stream kind {stream.kind!r}")
    cents = np.round(np.asarray(euros, dtype="float64") * 100.0).astype("int64") * stream.sign
    rows = pd.DataFrame(
        {
            "booking_date": pd.to_datetime(np.asarray(days, dtype="datetime64[D]")),
            "text": pd.Series(text, dtype="str").to_numpy(),
            "cents": cents,
        }
    )
    rows["doc_group"] = group if group is not None and len(group) == len(rows) else None
    for column in ("account", "cost_center", "product", "order", "measure", "kind"):
        rows[column] = getattr(stream, column)
    return rows


def _measure_streams(m: Measure, last_day: date) -> list[_Stream]:
    """The bookings a measure of each kind produces (cost centers, accounts: NKF NRW)."""
    end = m.end or last_day
    cc, product, order, name = m.posting_cost_center, m.product, m.order, m.name

    def s(kind: str, account: str, text: str, amount: float, **kw) -> _Stream:
        measure = kw.pop("measure", m.measure)
        start = kw.pop("start", m.start)
        stop = kw.pop("end", end)
        return _Stream(kind, account, cc, product, order, text, amount, start, stop, measure, **kw)

    if m.kind == "youth_centre":
        streams = [
            s("payroll", "501200", name, 9_750.0),
            s("payroll", "504200", name, 2_050.0),
            s("energy", "524100", name, 650.0),
            s(
                "invoices",
                "529100",
                f"{name}, ",
                220.0,
                rate=4.0,
                cap=6_000.0,
                texts=(
                    "Honorar Ferienprogramm",
                    "Material Kreativwerkstatt",
                    "Fahrtkosten Ausflug",
                    "Reinigung",
                    "Workshop Medienpädagogik",
                    "Verpflegung Ferienfreizeit",
                ),
            ),
            s(
                "invoices",
                "543100",
                f"{name}, ",
                60.0,
                rate=1.0,
                cap=600.0,
                texts=("Bürobedarf", "Telefon/Internet", "Porto"),
            ),
            s(
                "yearly",
                "414100",
                f"Zuweisung Land Kinder- und Jugendförderplan, {name}",
                15_000.0,
                sign=-1,
                month=6,
            ),
            s("refund", "524100", f"Rückerstattung Nebenkosten {name}", 400.0, sign=-1, month=3),
        ]
        if m.rented:
            streams.append(s("quarterly", "542100", f"{name}, Miete", 7_200.0))
        return streams
    if m.kind == "quarter_management":
        return [
            s("quarterly", "531800", f"Zuschuss {name} an den Träger", 48_000.0),
            s("invoices", "529100", f"{name}: ", 300.0, rate=3.0, cap=8_000.0, texts=(
                "Stadtteilfest", "Verfügungsfonds Projekt", "Druck Stadtteilzeitung",
                "Beteiligungswerkstatt")),
            s("yearly", "414100", "Zuweisung Land Starke Quartiere", 150_000.0, sign=-1, month=9),
            s("refund", "531800", f"Rückforderung nicht verbrauchter Zuschuss {name}", 4_000.0,
              sign=-1, month=4),
        ]  # fmt: skip
    if m.kind == "school":
        return [
            s("payroll", "501200", name, 5_850.0),
            s("payroll", "504200", name, 1_230.0),
            s("invoices", "543100", f"{name}, ", 50.0, rate=0.5, cap=500.0,
              texts=("Bürobedarf", "Material Elternarbeit")),
            s("invoices", "529100", f"{name}, ", 250.0, rate=0.5, cap=3_000.0,
              texts=("Honorar Sozialkompetenztraining", "Fortbildung", "Zuschuss Klassenfahrt")),
        ]  # fmt: skip
    if m.kind == "family_centre":
        return [
            s("monthly", "531800", f"Zuschuss {name}", 1_700.0),
            s(
                "invoices",
                "529100",
                f"{name}, ",
                180.0,
                rate=1.0,
                cap=2_500.0,
                texts=("Elternkurs Honorar", "Sprachförderung Honorar", "Familienfrühstück"),
            ),
            # Course fees are income on the centre's cost center; the rule (accounts 5*) leaves
            # them outside the measure.
            s("quarterly", "432100", f"Kursgebühren {name},", 300.0, sign=-1, measure=None),
        ]
    if m.kind == "senior_club":
        return [
            s("monthly", "531800", f"Zuschuss {name}", 420.0),
            s(
                "invoices",
                "529100",
                f"{name}, ",
                120.0,
                rate=0.4,
                cap=1_500.0,
                texts=("Seniorennachmittag", "Ausflug", "Vortrag Honorar"),
            ),
        ]
    if m.kind == "planning":
        study_end = date(min(m.start.year + 1, last_day.year), 12, 31)
        return [
            s("invoices", "529100", "Sozialraumplanung: ", 400.0, rate=1.0, cap=5_000.0, texts=(
                "Catering Sozialraumkonferenz", "Raummiete Sozialraumkonferenz",
                "Druck Sozialbericht", "Moderation Beteiligung")),
            s("invoices", "543100", "Sozialraumplanung: ", 70.0, rate=1.0, cap=800.0,
              texts=("Bürobedarf", "Fachliteratur")),
            s("yearly", "529100", "Gutachten Sozialraumanalyse, Abschlag", 24_000.0, month=10,
              end=study_end),
        ]  # fmt: skip
    raise ValueError(f"unknown measure kind {m.kind!r}")


def _background_streams(
    measures: Sequence[Measure], first_day: date, last_day: date
) -> list[_Stream]:
    """Spending and income that belongs to no measure, plus an investment on a measure.

    The investment (class 7, 785100) sits on a youth centre's cost center and so belongs to that
    measure, but is a cash payment, not spending: a double-counting trap (DOMAIN §2).
    """
    by_code = {m.measure: m for m in measures}
    schools = [m for m in measures if m.kind == "school"]
    school_start = min(m.start for m in schools)

    def s(kind: str, account: str, cc: str, product: str, text: str, amount: float, **kw):
        start = kw.pop("start", first_day)
        measure = kw.pop("measure", None)
        return _Stream(
            kind, account, cc, product, None, text, amount, start, last_day, measure, **kw
        )

    streams = [
        s("payroll", "501100", "51000", "06.05.01", "Jugendamt Verwaltung", 9_000.0),
        s("payroll", "501200", "51000", "06.05.01", "Jugendamt Verwaltung", 24_000.0),
        s("payroll", "504200", "51000", "06.05.01", "Jugendamt Verwaltung", 5_000.0),
        s("invoices", "529100", "51000", "06.05.01", "", 300.0, rate=5.0, texts=(
            "Dolmetscherkosten", "Gutachten Jugendhilfeplanung", "Fortbildung Personal",
            "Reinigung Verwaltungsgebäude")),
        s("invoices", "543100", "51000", "06.05.01", "", 80.0, rate=4.0, cap=1_000.0,
          texts=("Bürobedarf", "Porto", "Telefon")),
        s("invoices", "533300", "51500", "06.05.02", "", 1_800.0, rate=8.0, cap=12_000.0, texts=(
            "Kostenerstattung Heimerziehung", "Ambulante Hilfe zur Erziehung",
            "Vollzeitpflege")),
        s("invoices", "533900", "50000", "05.01.01", "", 250.0, rate=10.0, cap=5_000.0, texts=(
            "Einmalige Beihilfe", "Übernahme Mietrückstand", "Hilfe in besonderen Lebenslagen",
            "Bestattungskosten")),
        s("invoices", "533900", "50000", "05.01.01", "", 300.0, rate=0.5, sign=-1, cap=3_000.0,
          texts=("Rückzahlung Beihilfe", "Erstattung anderer Sozialleistungsträger")),
        s("quarterly", "531800", "50000", "05.01.01", "Zuschuss Wohlfahrtsverbände", 36_000.0),
        s("payroll", "501100", "50100", "05.01.02", "Sozialplanung", 5_200.0),
        # Coordination of school social work: the shared cost center, but no school's order.
        s("payroll", "501200", "51300", "06.03.01", "Koordination Schulsozialarbeit", 2_000.0,
          start=school_start),
        s("payroll", "504200", "51300", "06.03.01", "Koordination Schulsozialarbeit", 420.0,
          start=school_start),
        s("yearly", "414100", "51300", "06.03.01", "Zuweisung Land Schulsozialarbeit", 40_000.0,
          sign=-1, month=5, start=school_start),
    ]  # fmt: skip
    youth = by_code.get("JZ-01")
    if youth is not None:
        year = max(youth.start.year + 1, last_day.year - 2)
        streams.append(
            _Stream(
                "quarterly",
                "785100",
                youth.posting_cost_center,
                youth.product,
                None,
                f"Sanierung {youth.name}, Abschlag",
                45_000.0,
                date(year, 1, 1),
                date(year, 9, 30),
                youth.measure,
            )
        )
    return streams


def _add_cancellations(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Two invoices per year are cancelled a week later ("Storno"): a negative copy."""
    invoices = rows[
        (rows["kind"] == "invoices") & (rows["cents"] > 0) & (rows["booking_date"].dt.month <= 11)
    ]
    picked = []
    for _year, group in invoices.groupby(invoices["booking_date"].dt.year, sort=True):
        picked.extend(rng.choice(group.index.to_numpy(), size=min(2, len(group)), replace=False))
    originals = rows.loc[sorted(picked)]
    storno = originals.copy()
    storno["booking_date"] = pd.to_datetime(
        np.busday_offset(
            originals["booking_date"].to_numpy().astype("datetime64[D]"), 5, roll="forward"
        )
    )
    storno["cents"] = -originals["cents"]
    storno["kind"] = "cancellation"
    storno["doc_group"] = None
    storno["reverses"] = originals.index.to_numpy()
    rows = rows.assign(reverses=-1)
    return pd.concat([rows, storno], ignore_index=True)


def _number_documents(rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Documents numbered per fiscal year in booking order: "19000123" = 2019, document 123."""
    rows = rows.copy()
    rows["fiscal_year"] = rows["booking_date"].dt.year.astype("int64")
    lone = rows["doc_group"].isna()
    rows.loc[lone, "doc_group"] = "U|" + rows.index[lone].astype(str)
    docs = rows.groupby("doc_group", sort=True).agg(
        fiscal_year=("fiscal_year", "first"), booking_date=("booking_date", "first")
    )
    docs["tiebreak"] = rng.random(len(docs))
    docs = docs.sort_values(["fiscal_year", "booking_date", "tiebreak"], kind="stable")
    sequence = docs.groupby("fiscal_year").cumcount() + 1
    numbers = (docs["fiscal_year"] % 100) * 1_000_000 + sequence
    rows["document_no"] = rows["doc_group"].map(numbers.astype(str))
    rows = rows.sort_values(
        ["fiscal_year", "document_no", "cost_center", "order", "account"],
        kind="stable",
        na_position="first",
    )
    rows["line_no"] = rows.groupby(["fiscal_year", "document_no"]).cumcount().astype("int64") + 1
    return rows


def generate_postings(
    measures: Sequence[Measure], years: range, scale: float, seed: np.random.SeedSequence
) -> tuple[pd.DataFrame, pd.DataFrame, Correction]:
    """(postings, posting_measures, correction) for the whole city.

    postings: POSTING_COLUMNS, sorted by fiscal year, document and line; amount is Decimal.
    posting_measures: fiscal_year, document_no, line_no, measure — the measure each posting
    belongs to by the rules of `measures` (None for postings of no measure); ground truth for
    tests of rule matching. correction: the posting the last year's overlapping exports correct.
    """
    rng = np.random.default_rng(seed)
    first_day, last_day = date(years[0], 1, 1), date(years[-1], 12, 31)
    streams = [st for m in measures for st in _measure_streams(m, last_day)]
    streams += _background_streams(measures, first_day, last_day)
    frames = [_generate(st, years[0], scale, rng) for st in streams if st.start <= st.end]
    rows = pd.concat([f for f in frames if len(f)], ignore_index=True)
    rows = _add_cancellations(rows, rng)
    rows = _number_documents(rows, rng)

    reversed_doc = rows.set_index(rows.index)["document_no"]
    cancel = rows["reverses"] >= 0
    rows.loc[cancel, "text"] = "Storno Beleg " + rows.loc[cancel, "reverses"].map(reversed_doc)

    correction = _pick_correction(rows, years[-1], rng)
    rows = rows.reset_index(drop=True)
    amounts = [Decimal(int(c)).scaleb(-2) for c in rows["cents"].to_numpy()]
    postings = rows[list(POSTING_COLUMNS[:-1])].copy()
    postings["booking_date"] = postings["booking_date"].astype("datetime64[ns]")
    postings["amount"] = pd.Series(amounts, index=rows.index, dtype=object)
    postings["order"] = postings["order"].astype("str")
    truth = rows[["fiscal_year", "document_no", "line_no", "measure"]].copy()
    return postings, truth.reset_index(drop=True), correction


def _pick_correction(rows: pd.DataFrame, last_year: int, rng: np.random.Generator) -> Correction:
    """A youth-centre service invoice of the last year's first quarter, first booked 90 € too
    high (a typing error the finance office corrects before the half-year export)."""
    candidates = rows[
        (rows["fiscal_year"] == last_year)
        & (rows["booking_date"].dt.month <= 3)
        & (rows["kind"] == "invoices")
        & (rows["account"] == "529100")
        & rows["measure"].fillna("").astype(str).str.startswith("JZ-")
        & (rows["cents"] >= 10_000)
        & ~rows.index.isin(rows["reverses"])  # not an invoice that is later cancelled
    ]
    if candidates.empty:
        candidates = rows[
            (rows["fiscal_year"] == last_year)
            & (rows["booking_date"].dt.month <= 3)
            & (rows["cents"] > 0)
        ]
    row = candidates.iloc[int(rng.integers(0, len(candidates)))]
    new = Decimal(int(row["cents"])).scaleb(-2)
    return Correction(
        fiscal_year=int(row["fiscal_year"]),
        document_no=str(row["document_no"]),
        line_no=int(row["line_no"]),
        old_amount=new + Decimal("90.00"),
        new_amount=new,
    )
