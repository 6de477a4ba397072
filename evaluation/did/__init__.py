"""Difference-in-differences estimators: DataFrame and column names in, frozen results out.

- `two_by_two`: the canonical 2 × 2 regression (classical, HC1 or CR1 errors).
- `twfe`: two-way fixed effects with analytic, wild-bootstrap or randomization inference.
- `event_study`: TWFE leads and lags with a joint pre-trend test.
- `staggered`: Callaway & Sant'Anna (2021) group-time effects and their aggregates.

Every result carries its caveats as codes with their values (`caveats`, see
`evaluation.did.warnings` and `evaluation.caveat_codes`) and their English sentences (`warnings`).
"""

from evaluation.did.event_study import event_study
from evaluation.did.results import Estimate, EventStudy, StaggeredEstimate
from evaluation.did.staggered import staggered
from evaluation.did.twfe import twfe
from evaluation.did.two_by_two import two_by_two
from evaluation.did.wild_bootstrap import wild_cluster_bootstrap

__all__ = [
    "Estimate",
    "EventStudy",
    "StaggeredEstimate",
    "event_study",
    "staggered",
    "synthetic_did",
    "twfe",
    "two_by_two",
    "wild_cluster_bootstrap",
]
from evaluation.did.synthetic import synthetic_did
