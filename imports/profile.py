"""Mapping profiles: how one finance system's export maps onto the canonical posting fields.

A new finance system is a new profile, not new code: everything that differs between SAP, Infoma,
H&H proDoppik or a city's own CSV is data here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from imports.problems import ProblemError, problem, said

CANONICAL_FIELDS: tuple[str, ...] = (
    "booking_date",
    "fiscal_year",
    "document_no",
    "line_no",
    "account",
    "product",
    "cost_center",
    "order",
    "text",
    "amount",
    "debit_credit",
)
ALWAYS_REQUIRED: tuple[str, ...] = ("booking_date", "amount", "account")
CODE_FIELDS: tuple[str, ...] = ("document_no", "account", "product", "cost_center", "order")
DEFAULT_KEY: tuple[str, ...] = ("fiscal_year", "document_no", "line_no")


@dataclass(frozen=True)
class Profile:
    """One export layout.

    columns: canonical field -> accepted source headers (matched after trimming, ignoring case).
    credit_marker/debit_marker: with `debit_credit` mapped, amounts are read unsigned and negated
    where the marker column holds `credit_marker` (SAP: "H" = Haben). A `debit_marker` makes any
    third value an error instead of silently counting as debit.
    key: fields that identify a posting across exports (a changed amount under the same key is a
    correction). An empty key means the whole content is the identity.
    decimal: decimal mark of amounts written as text; never guessed per row.
    encoding/delimiter: CSV only; None means detect.
    builtin: shipped with the product (builtin_profiles.toml) rather than written by the city in
    its settings; with `--profile auto` the city's own profile wins a tie with a built-in one.
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    credit_marker: str | None = None
    debit_marker: str | None = None
    key: tuple[str, ...] = DEFAULT_KEY
    sheet: str | int | None = None
    decimal: str = ","
    encoding: str | None = None
    delimiter: str | None = None
    description: str = ""
    builtin: bool = False
    required_columns: tuple[str, ...] = field(init=False)
    required_values: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(CANONICAL_FIELDS))
        if unknown:
            raise ProfileError(
                problem(
                    "profile_unknown_fields",
                    fields=", ".join(unknown),
                    known=", ".join(CANONICAL_FIELDS),
                )
            )
        unknown_key = sorted(set(self.key) - set(CANONICAL_FIELDS) - {"amount"})
        if unknown_key:
            raise ProfileError(problem("profile_unknown_key_fields", fields=", ".join(unknown_key)))
        if self.decimal not in (",", "."):
            raise ProfileError(problem("profile_decimal", value=said(self.decimal)))
        if self.credit_marker is not None and "debit_credit" not in self.columns:
            raise ProfileError(problem("profile_credit_marker"))
        # fiscal_year may be derived from the booking date, so it is never required in the file.
        # Key fields must be columns; only document and line numbers must also be filled, since an
        # empty cost center or order is itself part of a posting's identity.
        columns = dict.fromkeys(ALWAYS_REQUIRED + tuple(f for f in self.key if f != "fiscal_year"))
        if self.credit_marker is not None:
            columns["debit_credit"] = None
        values = dict.fromkeys(
            ALWAYS_REQUIRED + tuple(f for f in self.key if f in ("document_no", "line_no"))
        )
        object.__setattr__(self, "required_columns", tuple(columns))
        object.__setattr__(self, "required_values", tuple(values))
        missing = [f for f in self.required_columns if f not in self.columns]
        if missing:
            raise ProfileError(problem("profile_required_fields", fields=", ".join(missing)))


class ProfileError(ProblemError):
    """A profile definition is invalid; the problem names the offending key."""


_PROFILE_KEYS = (
    "columns",
    "credit_marker",
    "debit_marker",
    "key",
    "sheet",
    "decimal",
    "encoding",
    "delimiter",
    "description",
)


def profile_from_table(
    name: str, table: Mapping[str, object], where: str, *, builtin: bool = False
) -> Profile:
    """Build a profile from its TOML table; `where` names the table in error messages."""
    unknown = sorted(set(table) - set(_PROFILE_KEYS))
    if unknown:
        raise ProfileError(
            problem(
                "profile_unknown_key",
                key=f"{where}.{unknown[0]}",
                known=", ".join(_PROFILE_KEYS),
            )
        )
    raw_columns = table.get("columns", {})
    if not isinstance(raw_columns, Mapping):
        raise ProfileError(problem("profile_columns_table", key=f"{where}.columns"))
    columns: dict[str, tuple[str, ...]] = {}
    for canonical, headers in raw_columns.items():
        alternatives = (headers,) if isinstance(headers, str) else tuple(headers)
        if not alternatives or not all(isinstance(h, str) for h in alternatives):
            raise ProfileError(problem("profile_headers", key=f"{where}.columns.{canonical}"))
        columns[canonical] = alternatives
    key = table.get("key", DEFAULT_KEY)
    if isinstance(key, str) or not all(isinstance(k, str) for k in key):  # type: ignore[union-attr]
        raise ProfileError(problem("profile_key_list", key=f"{where}.key"))
    try:
        return Profile(
            name=name,
            columns=columns,
            credit_marker=_optional_str(table, "credit_marker", where),
            debit_marker=_optional_str(table, "debit_marker", where),
            key=tuple(key),  # type: ignore[arg-type]
            sheet=table.get("sheet"),  # type: ignore[arg-type]
            decimal=str(table.get("decimal", ",")),
            encoding=_optional_str(table, "encoding", where),
            delimiter=_optional_str(table, "delimiter", where),
            description=str(table.get("description", "")),
            builtin=builtin,
        )
    except ProfileError as exc:
        raise ProfileError(problem("in_file", file=where, detail=exc.problem)) from None


def _optional_str(table: Mapping[str, object], key: str, where: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ProfileError(problem("profile_text", key=f"{where}.{key}"))
    return value


def builtin_profiles() -> dict[str, Profile]:
    """The profiles shipped with the product (`builtin_profiles.toml` beside this module)."""
    text = resources.files("imports").joinpath("builtin_profiles.toml").read_text("utf-8")
    return {
        name: profile_from_table(name, table, f"built-in profile {name}", builtin=True)
        for name, table in tomllib.loads(text).items()
    }
