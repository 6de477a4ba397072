"""The settings a report was built with: recorded with its run, used again by its rerun.

A report's words and numbers depend on settings that live outside the ledger: the city's name,
the indicators' names, units and direction, the spending accounts, the disclosure threshold,
the need index's weights, the outcome the programmes are evaluated on, the time zone. Before,
`report --rerun` took them from the folder it was started in, so from another folder (or after
the demo, whose settings are not a file) "Düren" became "Stadt" and the units were gone.

Now each run keeps the settings in force (`report_run.settings`) as JSON (with keys sorted, the
text whose sha256 is the run's `settings_digest`) and the folder relative paths in it pointed
to. A rerun takes every setting that shapes a report from there ([ledger] spending_accounts,
[indicators.*], [disclosure], [evaluation], [report], [places] — the place types' names and the
walking network the "Kurze Wege" distances were walked on —, [schedule] timezone) and states the
run's digest; the settings that only say where this invocation works (database, imports, plan,
delivery, ui, the service's folders, the anchor file) stay the invocation's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from monitor.settings import (
    DisclosureSettings,
    EvaluationSettings,
    IndicatorSettings,
    PlacesSettings,
    ReportSettings,
    Settings,
)


def _unlocated(settings: Settings) -> dict[str, Any]:
    """The settings in force as JSON values, without where the file lies (base_dir, source)."""
    plain = _plain(settings)
    for located in ("base_dir", "source"):
        plain.pop(located)
    return plain


def settings_digest(settings: Settings) -> str:
    """sha256 of the settings as canonical JSON (keys sorted): names exactly the
    configuration a report used."""
    text = json.dumps(_unlocated(settings), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_record(settings: Settings) -> str:
    """What a run keeps (`report_run.settings`): the settings and their folder. Keys keep
    their order (the need index lists its indicators in the order of the settings); sorted,
    the settings give the run's digest."""
    return json.dumps(
        {"base_dir": str(settings.base_dir), "settings": _unlocated(settings)},
        ensure_ascii=False,
    )


def recorded_settings(current: Settings, record: str) -> Settings:
    """`current` with every section that shapes a report taken from a run's `record`."""
    stored = json.loads(record)
    recorded: dict[str, Any] = stored["settings"]
    report = ReportSettings(**recorded["report"])
    if report.boundaries and not Path(report.boundaries).is_absolute():
        # A relative path pointed into the run's settings folder, not into this one.
        report = replace(report, boundaries=str(Path(stored["base_dir"]) / report.boundaries))
    indicators = {
        code: IndicatorSettings(**{**values, "columns": tuple(values["columns"])})
        for code, values in recorded["indicators"].items()
    }
    return replace(
        current,
        ledger=replace(
            current.ledger,
            spending_accounts=tuple(recorded["ledger"]["spending_accounts"]),
        ),
        indicators=MappingProxyType(indicators),
        disclosure=DisclosureSettings(**recorded["disclosure"]),
        evaluation=EvaluationSettings(
            need_index=MappingProxyType(dict(recorded["evaluation"]["need_index"]))
        ),
        report=report,
        places=_recorded_places(current.places, recorded),
        schedule=replace(current.schedule, timezone=recorded["schedule"]["timezone"]),
    )


def _recorded_places(current: PlacesSettings, recorded: Mapping[str, Any]) -> PlacesSettings:
    """[places] as the run had it (names, the network's absolute path); runs recorded before
    [places] existed keep the invocation's."""
    places = recorded.get("places")
    if places is None:
        return current
    return PlacesSettings(MappingProxyType(dict(places["names"])), places.get("network", ""))


def _plain(value: Any) -> Any:
    """Settings as JSON-able values (frozen dataclasses, read-only mappings, paths)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path | Decimal):  # amounts as written: "999999999999.99"
        return str(value)
    return value
