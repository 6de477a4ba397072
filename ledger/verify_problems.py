"""What `verify` found wrong with the ledger, as data: a code and the values its wording needs.

A verification problem is a JSON-ready dict (SPEC §6 `verify`): its `kind` and the ids it is
about (`batch`, `posting`, `master_import`, `table`, …) as before, plus `code` and `values`, and
`message`, the English sentence rendered FROM the code by the table below. The front door
(monitor/) words the code from the catalogue ("verify.<code>") in the reader's language, so the
auditor reads German by default; nobody recognises the English sentence. A test checks that
every code has a message in both catalogues with the placeholders of its English template.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from imports.problems import template_fields

Value = int | str

ENGLISH: Mapping[str, str] = MappingProxyType(
    {
        # The hash chain of postings and batches (ledger.verification).
        "unknown_batch": "postings refer to batch {batch}, which is not in the ledger",
        "added_after_verified": "postings were added to batch {batch} after it was verified",
        "head_not_extended": "the ledger does not extend head {head} ({source}): its newest "
        "imports were removed or its history was rewritten",
        "batch_count": "batch {batch} sealed {sealed} postings, the ledger holds {found}",
        "batch_seal": "batch {batch}: its record or its postings were changed outside the "
        "program (seal does not match)",
        "posting_removed": "posting {first} removed outside the program (chain broken before "
        "posting {posting})",
        "postings_removed": "postings {first}–{last} removed outside the program (chain broken "
        "before posting {posting})",
        "posting_changed": "posting {posting} was changed or inserted outside the program",
        # Master data (ledger.verification, ledger.master_verification).
        "master_after_missing_batch": "master import {number} ({kind}) was written after batch "
        "{after}, which is not in the ledger (batch removed outside the program)",
        "master_count": "master import {number} ({kind}) sealed {sealed} rows, the ledger holds "
        "{found} (rows removed or inserted outside the program)",
        "master_seal": "master import {number} ({kind}): its record or its rows were changed "
        "outside the program, or an import before it was removed (seal does not match)",
        "master_row_changed": "master import {number}: {row} was changed or inserted outside the "
        "program",
        "master_orphans": "{count} master-data row(s) refer to master import {number}, which is "
        "not in the ledger",
        # The derived allocation tables and the trip wire (derived_verification, trip_wire).
        "derived_written": "the derived table {table} was written {count} time(s) outside the "
        "program (last {last}); no figure is read from it until the next spend or trace rebuilds "
        "it from the verified ledger",
        "derived_differs": "the derived allocation table differs from its recomputation from the "
        "verified ledger in {where}: changed outside the program past the trip wire; its key is "
        "deleted, the next spend or trace rebuilds it",
        "derived_postings": "the rows of {count} posting(s) (posting {named})",
        "derived_postings_more": "the rows of {count} posting(s) (posting {named} and {more} more)",
        "derived_months": "the monthly sums of {months}",
        "derived_unattributed": "the monthly sums without district (unattributed_month) of "
        "{months}",
        "derived_and": "{first} and {second}",
        "trigger_missing": "trigger {trigger} is missing or disabled: writes outside the program "
        "to its table are no longer noticed by the figure commands",
        # A report run repeated on a ledger that changed since (monitor.report_command).
        "rerun_head_changed": "run {run} saw ledger head {head}, batch {batch} is now sealed "
        "{seal}; the ledger was changed, the run cannot be reproduced",
        "writer_mark": "the writer mark (table ledger_writer) was committed: writes outside the "
        "program are no longer noticed by the figure commands",
        # How a problem names a master-data row, its table, fields and kind of import (master_seal).
        "master_row_numbered": "{table} row {seq} ({named})",
        "master_row": "{table} row ({named})",
        "row_field": "{name} {value}",
        "row_fields": "{first}, {second}",
        "row_unnamed": "without key",
        "table_district": "district",
        "table_population": "population",
        "table_indicator_value": "indicator_value",
        "table_measure": "measure",
        "table_allocation": "allocation",
        "table_plan_amount": "plan_amount",
        "table_district_boundary": "district_boundary",
        "table_grid_cell": "grid_cell",
        "table_price_index": "price_index",
        "table_facility": "facility",
        "field_code": "code",
        "field_district": "district",
        "field_period": "period",
        "field_indicator": "indicator",
        "field_measure": "measure",
        "field_product": "product",
        "field_year": "year",
        "field_cell": "cell",
        "field_series": "series",
        "field_type": "type",
        "field_name": "name",
        "kind_districts": "districts",
        "kind_indicators": "indicators",
        "kind_measures": "measures",
        "kind_plan": "plan",
        "kind_boundaries": "boundaries",
        "kind_grid": "grid",
        "kind_prices": "prices",
        "kind_facilities": "facilities",
        "head_from_option": "--head",
        "head_from_anchor": "anchor file {file}",
        "head_from_report": "report run {run}",
    }
)


def english(code: str, values: Mapping[str, object]) -> str:
    """The English sentence of a code; values that are {code, values} dicts are worded too."""
    plain = {
        name: english(v["code"], v["values"]) if isinstance(v, Mapping) else v
        for name, v in values.items()
    }
    return ENGLISH[code].format(**plain)


def verify_problem(
    kind: str, code: str, about: Mapping[str, object] | None = None, /, **values: object
) -> dict[str, object]:
    """One problem as `verify` reports it: {kind, <about>, code, values, message}.

    about: the ids the problem concerns, as JSON keys (`{"batch": 3}`); values: what the
    wording needs (numbers, ids, or a nested {code, values} from `part`)."""
    if code not in ENGLISH:
        raise ValueError(f"unknown verification problem code {code!r}")
    missing = template_fields(ENGLISH[code]) - set(values)
    if missing:
        raise ValueError(f"verification problem {code!r} needs the values {sorted(missing)}")
    return {
        "kind": kind,
        **(about or {}),
        "code": code,
        "values": dict(values),
        "message": english(code, values),
    }


def part(code: str, /, **values: object) -> dict[str, object]:
    """A piece of a problem's wording, itself a code and its values."""
    if code not in ENGLISH:
        raise ValueError(f"unknown verification problem code {code!r}")
    return {"code": code, "values": dict(values)}
