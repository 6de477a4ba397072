"""Master data files in, validated rows out (SPEC §5): districts and population, indicator
values, measures with posting rules and district shares, and the budget plan.

Pure with respect to the ledger, like `imports.postings`: each parser reads one file and
returns frozen results holding DataFrames of the good rows (every row keeps its `sheet` and
`row` as Excel shows it) and every RowError of the file at once. Whole-file problems raise
`imports.readers.FileRefused` (unreadable) or `MasterDataError` (no such table; the message
lists the headers found and the ones expected). Checks that need the ledger — district codes
against the stored districts — are left to the caller, with `unknown_districts` as the helper.
"""

from imports.master_data.columns import MasterDataError, column_key
from imports.master_data.districts import DistrictsFile, parse_districts, unknown_districts
from imports.master_data.indicator_table import IndicatorsFile
from imports.master_data.indicators import parse_indicators
from imports.master_data.measures import MeasuresFile, parse_measures
from imports.master_data.periods import Period
from imports.master_data.plan import PlanFile, parse_plan
from imports.master_data.templates import TEMPLATE_KINDS, write_template
from imports.plan_spending import PlanSpending

__all__ = [
    "TEMPLATE_KINDS",
    "DistrictsFile",
    "IndicatorsFile",
    "MasterDataError",
    "MeasuresFile",
    "Period",
    "PlanFile",
    "PlanSpending",
    "column_key",
    "parse_districts",
    "parse_indicators",
    "parse_measures",
    "parse_plan",
    "unknown_districts",
    "write_template",
]
