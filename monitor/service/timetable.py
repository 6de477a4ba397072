"""What runs when: the service's jobs, their triggers from the settings, and crontab parsing.

Checked when a command starts, so that a typo in report_cron fails at `serve`, naming the key,
rather than silently at 06:00 on the first day of a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.service.mail import SECURITY_CHOICES
from monitor.service.report_job import PERIOD_KINDS
from monitor.settings import Settings

DELIVERY_RETRY_SECONDS = 300
DESCRIPTIONS = {
    "inbox": "import new files from the inbox",
    "report": "build the report of the period just closed and deliver it",
    "deliveries": "retry report deliveries that failed",
    "alerts": "flag what needs a human (after each inbox run that added postings)",
}
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class JobSpec:
    name: str
    trigger: BaseTrigger
    schedule: str  # as the user wrote it, for `jobs`
    first_run_now: bool


def parse_cron(expression: str, zone: ZoneInfo) -> CronTrigger:
    """A crontab expression: 5 fields, or 6 with seconds first.

    Weekdays are crontab's (0 or 7 = Sunday), translated to names because APScheduler 3 counts
    0 as Monday (its documented historical quirk): "0 6 * * 1" runs on Mondays, as in cron.
    """
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"{expression!r}: expected 5 fields, or 6 with seconds first")
    second, minute, hour, day, month, weekday = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_crontab_weekdays(weekday),
        timezone=zone,
    )


def _crontab_weekdays(field: str) -> str:
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            low, high = 0, 6
        elif "-" in base:
            low, high = (_crontab_day(p) for p in base.split("-", 1))
        else:
            low = _crontab_day(base)
            high = 6 if step_text else low
        if high < low or step < 1:
            raise ValueError(f"day of week {part!r}")
        days.update(d % 7 for d in range(low, high + 1, step))
    return ",".join(_CRON_DAYS[d] for d in sorted(days))


def _crontab_day(text: str) -> int:
    name = text.strip().lower()
    if name.isdigit() and int(name) <= 7:
        return int(name)
    if name[:3] in _CRON_DAYS:
        return _CRON_DAYS.index(name[:3])
    raise ValueError(f"day of week {text!r}")


class SettingProblem(ValueError):
    """A setting the service cannot run with, as data: the key, a code ("cli.serve.setting.
    <code>" in the catalogue) and the values its wording needs; the message is its English."""

    ENGLISH: ClassVar[dict[str, str]] = {
        "unknown_zone": "{key}: unknown time zone {value}",
        "bad_cron": "{key}: {value} is not a crontab expression of 5 fields (minute hour day "
        "month weekday), or 6 with seconds first",
        "one_of": "{key} must be one of {choices}",
        "at_least": "{key} must be at least {minimum}",
        "between": "{key} must be between {low} and {high}",
    }

    def __init__(self, key: str, code: str, **values: object) -> None:
        self.key, self.code, self.values = key, code, {"key": key, **values}
        super().__init__(self.ENGLISH[code].format(**self.values))


def check_settings(settings: Settings) -> None:
    """Refuse, naming the key, what would only fail at 6 a.m. on the first of a quarter."""
    schedule = settings.schedule
    try:
        zone = ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingProblem(
            "schedule.timezone", "unknown_zone", value=repr(schedule.timezone)
        ) from None
    try:
        parse_cron(schedule.report_cron, zone)
    except ValueError:
        raise SettingProblem(
            "schedule.report_cron", "bad_cron", value=repr(schedule.report_cron)
        ) from None
    checks: list[tuple[str, bool, str, dict[str, object]]] = [
        ("schedule.report_period", schedule.report_period not in PERIOD_KINDS, "one_of",
         {"choices": ", ".join(PERIOD_KINDS)}),
        ("schedule.inbox_interval_seconds", schedule.inbox_interval_seconds < 1, "at_least",
         {"minimum": 1}),
        ("schedule.misfire_grace_seconds", schedule.misfire_grace_seconds < 1, "at_least",
         {"minimum": 1}),
        ("schedule.inbox_settle_seconds", schedule.inbox_settle_seconds < 0, "at_least",
         {"minimum": 0}),
        ("schedule.alert_idle_months", schedule.alert_idle_months < 1, "at_least",
         {"minimum": 1}),
        ("schedule.alert_unattributed_share",
         not 0 <= schedule.alert_unattributed_share <= 1, "between", {"low": 0, "high": 1}),
        ("delivery.smtp_security", settings.delivery.smtp_security not in SECURITY_CHOICES,
         "one_of", {"choices": ", ".join(SECURITY_CHOICES)}),
    ]  # fmt: skip
    for key, wrong, code, values in checks:
        if wrong:
            raise SettingProblem(key, code, **values)


def job_specs(settings: Settings) -> list[JobSpec]:
    schedule = settings.schedule
    zone = ZoneInfo(schedule.timezone)
    return [
        JobSpec(
            "inbox",
            IntervalTrigger(seconds=schedule.inbox_interval_seconds, timezone=zone),
            f"every {schedule.inbox_interval_seconds} s",
            first_run_now=True,
        ),
        JobSpec("report", parse_cron(schedule.report_cron, zone), schedule.report_cron, False),
        JobSpec(
            "deliveries",
            IntervalTrigger(seconds=DELIVERY_RETRY_SECONDS, timezone=zone),
            f"every {DELIVERY_RETRY_SECONDS} s",
            first_run_now=True,
        ),
    ]
