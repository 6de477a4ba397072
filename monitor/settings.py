"""The one settings object: `settings.toml` read once into frozen dataclasses.

Every key has a default, so a file that sets a few keys is valid; an unknown key is an error that
names it, because a typo that is silently ignored would make a city's report wrong without anyone
noticing. Relative paths resolve against the settings file's own folder.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from imports.account_patterns import spending_patterns
from imports.money import MAX_EXACT_CENTS, cents_to_decimal
from imports.plan_spending import INTERNAL_LINE_PATTERNS, SPENDING_PATTERNS, PlanSpending
from imports.problems import Problem
from imports.profile import Profile, ProfileError, builtin_profiles, profile_from_table
from reports.formatting import LocaleFormat
from reports.messages import LANGUAGES, Messages

T = TypeVar("T")


class SettingsError(ValueError):
    """The settings file is invalid; the message names file and key.

    The message is English (the library's word); `problem` and `values` say the same as data,
    for the command line to word in the user's language (`cli.settings.<problem>`), and `path`
    names the file once it is known. Errors of other layers (a profile's) have no problem code
    and are shown as their message.
    """

    def __init__(
        self, message: str, problem: str | None = None, path: Path | None = None, **values: object
    ) -> None:
        super().__init__(message)
        self.problem, self.path, self.values = problem, path, values

    def in_file(self, path: Path) -> SettingsError:
        """The same problem, named with the file it is in."""
        return SettingsError(f"{path}: {self}", self.problem, path, **self.values)

    def worded(self, words: Messages) -> str:
        """The message in `words`' language."""
        if self.problem is None:
            return str(self)
        from monitor.problem_words import worded_problem  # the catalogue's words of imports/

        values = {
            name: worded_problem(value, words)
            if isinstance(value, Problem)
            else LocaleFormat(words.lang).money(value)  # an amount in euros: 1.234,56 €
            if isinstance(value, Decimal)
            else value
            for name, value in self.values.items()
        }
        text = words(f"cli.settings.{self.problem}", **values)
        return (
            text
            if self.path is None
            else words("cli.settings.in_file", file=self.path, message=text)
        )


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = "sqlite:///data/ledger.db"


@dataclass(frozen=True)
class LedgerSettings:
    # NKF class 5 = Aufwendungen; class 7 (Auszahlungen) would count the same money twice.
    spending_accounts: tuple[str, ...] = ("5*",)
    # Internal service charges (ILV: NKF 58 expenses, 48 income) move costs between products;
    # they are never spending nor income, whatever spending_accounts says.
    internal_accounts: tuple[str, ...] = ("58*", "48*")
    # If set: each new head of the ledger is appended to this text file, outside the database,
    # and `verify` (and every figure command) checks that the ledger extends its last head.
    anchor_file: str = ""

    @property
    def anchor_path(self) -> Path | None:
        return Path(self.anchor_file) if self.anchor_file else None

    @property
    def spending_patterns(self) -> tuple[str, ...]:
        """The account patterns the ledger's spending queries take: spending accounts without
        the internal ones (`imports.account_patterns.spending_patterns`)."""
        return spending_patterns(self.spending_accounts, self.internal_accounts)


@dataclass(frozen=True)
class ImportSettings:
    max_uncompressed_mb: int = 1024
    # Larger amounts (absolute, euros) are refused as implausible, never stored: a number where
    # a code or a date belongs, or a cell Excel filled with 1e17. Written as text in TOML.
    max_abs_amount: Decimal = Decimal("999999999999.99")
    profiles: Mapping[str, Profile] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def max_abs_cents(self) -> int:
        """`max_abs_amount` in cents, as the importers compare it."""
        return int(self.max_abs_amount.scaleb(2))


@dataclass(frozen=True)
class IndicatorSettings:
    name: str = ""
    unit: str = ""
    higher_is_worse: bool = True
    columns: tuple[str, ...] = ()
    # A rate the product computes from counts instead of reading it (`import indicators`):
    # numerator an indicator code holding a count, denominator an indicator code or
    # "population" (the file's own population column). Times 100 when unit is "%".
    numerator: str = ""
    denominator: str = ""


@dataclass(frozen=True)
class IndicatorFileSettings:
    """A publisher's own conventions in indicator files (`import indicators`)."""

    # A row whose indicator values are all 0 is an area the publisher did not compute (Berlin's
    # MSS writes 0 in every indicator of a planning area it left out): missing, never zeros.
    all_zero_rows_missing: bool = False
    # `import indicators --crosswalk`: a district whose carried population differs from its
    # newest earlier population by more than this share is not carried (the crosswalk is then
    # missing a part of it, or gives it a neighbour's); a high value such as 10 turns it off.
    crosswalk_population_tolerance: float = 0.25
    # A wide file that ends with its aggregates (Hamburg's Stadtteilprofile: the seven Bezirke,
    # then "Hamburg", some named like a Stadtteil): the rows from the first one whose district
    # cell is this value to the end of the table are aggregates, left out and counted. Declared,
    # not guessed: a misspelt last district must stay an error.
    aggregates_from: str = ""


@dataclass(frozen=True)
class PlanSettings:
    """How `import plan` reads a city's budget tables."""

    # Extra header aliases, tried before the built-in ones: field -> headers (see PLAN_FIELDS).
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # A plan row counts as spending when its direction (Art, Richtung) or, without one, its line
    # (Teilplanzeile) matches one of these patterns; with an account column the account must
    # match [ledger] spending_accounts instead.
    spending: tuple[str, ...] = SPENDING_PATTERNS
    # A plan row whose line label matches one of these is an internal service charge (ILV),
    # never spending; with an account column [ledger] internal_accounts decides as well.
    internal: tuple[str, ...] = INTERNAL_LINE_PATTERNS


@dataclass(frozen=True)
class PricesSettings:
    """Money in constant prices (`spend --constant-prices`, the report's programme charts)."""

    # Amounts in prices of this year, by the imported price index (`import prices`); 0: the
    # newest year the index holds.
    base_year: int = 0


@dataclass(frozen=True)
class DisclosureSettings:
    min_population: int = 300


@dataclass(frozen=True)
class EvaluationSettings:
    # indicator code -> weight; a list in TOML means equal weights.
    need_index: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({"sgb2_quote": 1.0, "kinderarmut": 1.0})
    )


@dataclass(frozen=True)
class ScheduleSettings:
    timezone: str = "Europe/Berlin"
    inbox: Path = Path("inbox")
    inbox_interval_seconds: int = 300
    report_cron: str = "0 6 1 1,4,7,10 *"
    report_period: str = "quarter"
    # A run missed by at most this much (service down, machine asleep) still runs on start-up.
    misfire_grace_seconds: int = 86400
    # Several missed runs of one job run once, not once each.
    coalesce: bool = True
    # A file in the inbox modified more recently than this is still being written: it waits.
    inbox_settle_seconds: int = 60
    log_file: Path = Path("logs/budget-monitor.log")
    # Alerts: unattributed share of the year's spending above this; a target district without
    # spending of its measure for this many months; new alerts also e-mailed to the recipients.
    alert_unattributed_share: float = 0.25
    alert_idle_months: int = 6
    alert_email: bool = False


@dataclass(frozen=True)
class DeliverySettings:
    outbox: Path = Path("outbox")
    recipients: tuple[str, ...] = ()
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_security: str = "starttls"
    sender: str = "budget-monitor@localhost"


@dataclass(frozen=True)
class ReportSettings:
    city: str = "Stadt"
    # The indicator whose change the report evaluates for every program.
    outcome: str = "sgb2_quote"
    # GeoJSON with district boundaries (empty: no map); the feature property holding the code.
    boundaries: str = ""
    boundaries_key: str = "key"


# The display names of the demo's place types (`import facilities --type`), German like the
# rest of the demo; a city names its own in `[places.names]` (added to these, or replacing one).
DEFAULT_PLACE_NAMES: Mapping[str, str] = MappingProxyType(
    {"beratung": "Beratungsstellen", "familienzentrum": "Familienzentren"}
)


@dataclass(frozen=True)
class PlacesSettings:
    """[places]: `names` maps a place type's code (as `import facilities` stored it) to the name
    the report and `access`/`siting` show, in the plural ("Beratungsstellen"). `network`: the
    city's walking network, an OpenStreetMap extract (.osm.pbf; absolute once loaded, empty:
    none), with which the report, `access` and `siting` measure along footpaths instead of
    the straight line."""

    names: Mapping[str, str] = field(default_factory=lambda: DEFAULT_PLACE_NAMES)
    network: str = ""

    def name(self, code: str) -> str:
        """The display name of a place type; its code where none is set."""
        return self.names.get(code, code)


@dataclass(frozen=True)
class UiSettings:
    # Language of every human-readable text (help, messages, summaries, report): "de" or "en".
    # `--lang` and BUDGET_MONITOR_LANG take precedence (monitor.language).
    lang: str = "de"


@dataclass(frozen=True)
class WebSettings:
    """The web atlas (`budget-monitor web`, SPEC §10)."""

    # True: the aggregate pages (never trace, imports or the API's postings) open without
    # signing in, with disclosure control as in the report.
    public: bool = False
    # A session that is not used for this long ends; the next request signs in again.
    session_minutes: int = 60
    # True behind a reverse proxy that speaks HTTPS: cookies are sent over HTTPS only.
    secure_cookies: bool = False
    # Where uploaded exports are kept (the import records their path, as the CLI's does).
    upload_dir: Path = Path("uploads")
    # Failed sign-ins within login_lock_minutes after which further sign-ins are refused until
    # the oldest has left that window: per user name, and per client address (several people
    # behind one address mistype too).
    login_attempts: int = 5
    login_attempts_per_client: int = 20
    login_lock_minutes: int = 15


@dataclass(frozen=True)
class Settings:
    """Everything configurable; `base_dir` is where relative paths point."""

    base_dir: Path
    source: Path | None
    database: DatabaseSettings = DatabaseSettings()
    ledger: LedgerSettings = LedgerSettings()
    imports: ImportSettings = ImportSettings()
    indicators: Mapping[str, IndicatorSettings] = field(
        default_factory=lambda: MappingProxyType({})
    )
    indicator_files: IndicatorFileSettings = IndicatorFileSettings()
    plan: PlanSettings = PlanSettings()
    prices: PricesSettings = PricesSettings()
    disclosure: DisclosureSettings = DisclosureSettings()
    evaluation: EvaluationSettings = EvaluationSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    delivery: DeliverySettings = DeliverySettings()
    report: ReportSettings = ReportSettings()
    places: PlacesSettings = PlacesSettings()
    ui: UiSettings = UiSettings()
    web: WebSettings = WebSettings()

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path resolved against `base_dir`."""
        return resolve_sqlite_url(self.database.url, self.base_dir)

    @property
    def plan_spending(self) -> PlanSpending:
        """What `import plan` counts: the accounts spending counts, without the internal ones."""
        return PlanSpending(
            self.plan.spending,
            self.ledger.spending_accounts,
            self.ledger.internal_accounts,
            self.plan.internal,
        )


def resolve_sqlite_url(url: str, base_dir: Path) -> str:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return url
    path = Path(url[len(prefix) :])
    return url if path.is_absolute() else prefix + str((base_dir / path).resolve())


def load_settings(path: Path | None = None, *, cwd: Path | None = None) -> Settings:
    """Load `path`, else `./settings.toml` if present, else the built-in defaults."""
    cwd = cwd or Path.cwd()
    if path is None and (cwd / "settings.toml").is_file():
        path = cwd / "settings.toml"
    if path is None:
        return _build({}, base_dir=cwd, source=None)
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except FileNotFoundError:
        raise SettingsError(
            f"{path}: settings file not found", "not_found", path=None, file=path
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"{path}: not valid TOML: {exc}", "not_toml", path=None, file=path, reason=exc
        ) from None
    try:
        return _build(table, base_dir=path.resolve().parent, source=path)
    except SettingsError as exc:
        raise exc.in_file(path) from None
    except ProfileError as exc:
        raise SettingsError(f"{path}: {exc}", "profile", path, detail=exc.problem) from None


def _build(table: Mapping[str, Any], *, base_dir: Path, source: Path | None) -> Settings:
    sections = {
        "database",
        "ledger",
        "imports",
        "indicators",
        "indicator_files",
        "plan",
        "prices",
        "disclosure",
        "evaluation",
        "schedule",
        "delivery",
        "report",
        "places",
        "ui",
        "web",
    }
    _reject_unknown(table, sections, "")
    imports_table = dict(table.get("imports", {}))
    profile_tables = imports_table.pop("profiles", {})
    schedule = _section(ScheduleSettings, table.get("schedule", {}), "schedule")
    delivery = _section(DeliverySettings, table.get("delivery", {}), "delivery")
    return Settings(
        base_dir=base_dir,
        source=source,
        database=_section(DatabaseSettings, table.get("database", {}), "database"),
        ledger=_ledger_settings(table.get("ledger", {}), base_dir),
        imports=replace(
            _section(ImportSettings, imports_table, "imports"),
            profiles=MappingProxyType(_profiles(profile_tables)),
        ),
        indicators=MappingProxyType(
            {
                code: _section(IndicatorSettings, sub, f"indicators.{code}")
                for code, sub in table.get("indicators", {}).items()
            }
        ),
        indicator_files=_section(
            IndicatorFileSettings, table.get("indicator_files", {}), "indicator_files"
        ),
        plan=_plan_settings(table.get("plan", {})),
        prices=_section(PricesSettings, table.get("prices", {}), "prices"),
        disclosure=_section(DisclosureSettings, table.get("disclosure", {}), "disclosure"),
        evaluation=EvaluationSettings(need_index=_need_weights(table.get("evaluation", {}))),
        schedule=_with_paths(schedule, base_dir, ("inbox", "log_file")),
        delivery=_with_paths(delivery, base_dir, ("outbox",)),
        report=_section(ReportSettings, table.get("report", {}), "report"),
        places=_places_settings(table.get("places", {}), base_dir),
        ui=_ui_settings(table.get("ui", {})),
        web=_with_paths(
            _section(WebSettings, table.get("web", {}), "web"), base_dir, ("upload_dir",)
        ),
    )


def _places_settings(table: Mapping[str, Any], base_dir: Path) -> PlacesSettings:
    """[places]: `names` a table of place-type code = "display name" (texts), added to the
    defaults; `network` a path (relative to the settings' folder)."""
    if not isinstance(table, Mapping):
        raise SettingsError("[places] must be a table", "not_a_table", key="places")
    _reject_unknown(table, {"names", "network"}, "places")
    network = table.get("network", "")
    if not isinstance(network, str):
        raise SettingsError(
            f"places.network must be a text, not {network!r}",
            "type_text",
            key="places.network",
            value=repr(network),
        )
    names = table.get("names", {})
    if not isinstance(names, Mapping):
        raise SettingsError("[places.names] must be a table", "not_a_table", key="places.names")
    for code, name in names.items():
        if not isinstance(name, str) or not name.strip():
            raise SettingsError(
                f"places.names.{code} must be a non-empty text, not {name!r}",
                "type_text",
                key=f"places.names.{code}",
                value=repr(name),
            )
    merged = {**DEFAULT_PLACE_NAMES, **{str(k): str(v).strip() for k, v in names.items()}}
    located = str((base_dir / network).resolve()) if network.strip() else ""
    return PlacesSettings(MappingProxyType(merged), located)


def _ui_settings(table: Mapping[str, Any]) -> UiSettings:
    """[ui]: a language without a catalogue is an error naming the key, not German in silence."""
    ui = _section(UiSettings, table, "ui")
    if ui.lang not in LANGUAGES:
        languages = ", ".join(LANGUAGES)
        raise SettingsError(
            f"ui.lang must be one of {languages}, not {ui.lang!r}",
            "ui_lang",
            languages=languages,
            value=repr(ui.lang),
        )
    return ui


def _ledger_settings(table: Mapping[str, Any], base_dir: Path) -> LedgerSettings:
    ledger = _section(LedgerSettings, table, "ledger")
    if not ledger.anchor_file:
        return ledger
    return replace(ledger, anchor_file=str((base_dir / ledger.anchor_file).resolve()))


def _profiles(tables: Mapping[str, Any]) -> dict[str, Profile]:
    """Built-in profiles, then the settings' own (same name replaces the built-in one)."""
    profiles = builtin_profiles()
    for name, sub in tables.items():
        profiles[name] = profile_from_table(name, sub, f"imports.profiles.{name}")
    return profiles


def _plan_settings(table: Mapping[str, Any]) -> PlanSettings:
    """[plan]: `columns` is a table of field = header or list of headers."""
    _reject_unknown(table, {"columns", "spending", "internal"}, "plan")
    raw = table.get("columns", {})
    if not isinstance(raw, Mapping):
        raise SettingsError("plan.columns must be a table of field = header(s)", "plan_columns")
    if raw:
        # Imported here: the plan parser brings pandas, which most commands never need.
        from imports.master_data.plan import PLAN_FIELDS

        _reject_unknown(raw, set(PLAN_FIELDS), "plan.columns")
    columns: dict[str, tuple[str, ...]] = {}
    for name, headers in raw.items():
        alternatives = [headers] if isinstance(headers, str) else headers
        if not isinstance(alternatives, list) or not all(isinstance(h, str) for h in alternatives):
            raise SettingsError(
                f"plan.columns.{name} must be a header or a list of headers",
                "plan_column",
                key=f"plan.columns.{name}",
            )
        columns[name] = tuple(alternatives)
    spending = _coerce(table.get("spending", list(SPENDING_PATTERNS)), (), "plan.spending")
    internal = _coerce(table.get("internal", list(INTERNAL_LINE_PATTERNS)), (), "plan.internal")
    return PlanSettings(columns=MappingProxyType(columns), spending=spending, internal=internal)


def _need_weights(table: Mapping[str, Any]) -> Mapping[str, float]:
    _reject_unknown(table, {"need_index"}, "evaluation")
    raw = table.get("need_index", ["sgb2_quote", "kinderarmut"])
    if isinstance(raw, list):
        weights = {str(code): 1.0 for code in raw}
    elif isinstance(raw, dict):
        weights = {str(code): float(weight) for code, weight in raw.items()}
    else:
        raise SettingsError(
            "evaluation.need_index must be a list of codes or a table of weights", "need_index"
        )
    if not weights or any(w <= 0 for w in weights.values()):
        raise SettingsError(
            "evaluation.need_index needs at least one indicator, weights > 0", "need_index_empty"
        )
    return MappingProxyType(weights)


def _reject_unknown(table: Mapping[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        name = f"{where}.{unknown[0]}" if where else unknown[0]
        listed = ", ".join(sorted(known))
        raise SettingsError(
            f"unknown key {name} (known here: {listed})", "unknown_key", key=name, known=listed
        )


def _section(cls: type[T], table: Mapping[str, Any], where: str) -> T:
    """Fill a flat dataclass from a TOML table, checking names and types."""
    if not isinstance(table, Mapping):
        raise SettingsError(f"[{where}] must be a table", "not_a_table", key=where)
    own = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    if cls is ImportSettings:
        own.pop("profiles")
    _reject_unknown(table, set(own), where)
    values: dict[str, Any] = {}
    defaults = cls()
    for name, value in table.items():
        default = getattr(defaults, name)
        values[name] = _coerce(value, default, f"{where}.{name}")
    return cls(**values)


def _coerce(value: Any, default: Any, where: str) -> Any:
    if isinstance(default, Decimal):
        return _amount(value, where)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, tuple):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if ok else value
    elif isinstance(default, Path):
        ok = isinstance(value, str)
        value = Path(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        expected = type(default).__name__
        kind = "path" if isinstance(default, Path) else _KINDS.get(expected, "text")
        raise SettingsError(
            f"{where} must be {expected}, not {value!r}",
            f"type_{kind}",
            key=where,
            value=repr(value),
        )
    return value


# What a key must be, by its default's type, for the words of `cli.settings.type_<kind>`.
_KINDS = {"bool": "bool", "int": "int", "float": "float", "tuple": "list"}
_MAX_LIMIT = cents_to_decimal(MAX_EXACT_CENTS)


def _amount(value: Any, where: str) -> Decimal:
    """A positive amount in euros with at most two decimals, written as text ("999999999999.99")
    or a whole number; a TOML float is refused, since it may not be the amount written. At most
    MAX_EXACT_CENTS cents: beyond, a spreadsheet number cannot be compared with it exactly."""
    amount = None
    if isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = None
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    if (
        amount is None
        or not amount.is_finite()
        or not 0 < amount <= _MAX_LIMIT
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise SettingsError(
            f"{where} must be a positive amount in euros as text, with at most two decimals and "
            f'at most {_MAX_LIMIT} (such as "999999999999.99"), not {value!r}',
            "amount",
            key=where,
            limit=_MAX_LIMIT,
            value=repr(value),
        )
    return amount.quantize(Decimal("0.01"))


def _with_paths(section: T, base_dir: Path, names: tuple[str, ...]) -> T:
    updates = {n: base_dir / getattr(section, n) for n in names}
    return type(section)(**{**section.__dict__, **updates})
