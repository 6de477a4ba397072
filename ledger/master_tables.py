"""Every master-data table's model by name: what `master_store` writes and seals and what
`master_verification` re-hashes; one list, so a table cannot be sealed but never checked."""

from __future__ import annotations

from ledger.facility_models import Facility
from ledger.geo_models import DistrictBoundary, GridCell
from ledger.master_models import (
    Allocation,
    District,
    IndicatorValue,
    Measure,
    PlanAmount,
    Population,
    PriceIndex,
)
from ledger.models import Base

MASTER_MODELS: dict[str, type[Base]] = {
    "district": District,
    "population": Population,
    "indicator_value": IndicatorValue,
    "measure": Measure,
    "allocation": Allocation,
    "plan_amount": PlanAmount,
    "district_boundary": DistrictBoundary,
    "grid_cell": GridCell,
    "price_index": PriceIndex,
    "facility": Facility,
}
