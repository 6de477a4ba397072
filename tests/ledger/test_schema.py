"""The hand-written migrations and the models describe the same schema, on both databases."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

from ledger.allocation_models import AllocationCache  # noqa: F401  (registers the derived tables)
from ledger.database import create_ledger_engine
from ledger.facility_models import Facility  # noqa: F401  (registers the places of help)
from ledger.geo_models import DistrictBoundary  # noqa: F401  (registers the geodata tables)
from ledger.master_models import MasterImport  # noqa: F401  (registers the master tables)
from ledger.models import Base
from ledger.schema import (
    HEAD_REVISION,
    SchemaOutdated,
    current_revision,
    ensure_schema,
    migrations_head,
)
from ledger.service_models import DeliveryLog  # noqa: F401  (registers the service tables)
from ledger.trip_wire import ForeignWrite  # noqa: F401  (registers the trip wire's tables)
from ledger.web_models import WebUser  # noqa: F401  (registers the web atlas tables)
from monitor.cli import cli
from monitor.language import LANG_ENV


def not_the_schedulers_table(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """APScheduler's job store creates and owns `apscheduler_jobs`; it is not the ledger's."""
    return not (type_ == "table" and name == "apscheduler_jobs")


def test_migrations_produce_exactly_the_models_schema(database_url: str) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": not_the_schedulers_table}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_sqlite_ledger_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    engine = create_ledger_engine(f"sqlite:///{tmp_path / 'l.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1


def test_new_sqlite_ledger_has_16_kib_pages_and_an_existing_one_keeps_its_own(tmp_path) -> None:
    new = create_ledger_engine(f"sqlite:///{tmp_path / 'new.db'}")
    ensure_schema(new)
    with new.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA page_size").scalar_one() == 16_384
    new.dispose()
    older = tmp_path / "older.db"
    with closing(sqlite3.connect(older)) as connection:  # an older ledger, with 8 KiB pages
        connection.execute("PRAGMA page_size=8192")
        connection.execute("CREATE TABLE kept (x)")
        connection.commit()
    engine = create_ledger_engine(f"sqlite:///{older}")
    ensure_schema(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA page_size").scalar_one() == 8_192
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    engine.dispose()


def test_outdated_schema_names_the_upgrade_command(database_url: str) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    try:
        ensure_schema(engine)
    except SchemaOutdated as exc:
        assert "budget-monitor init" in str(exc)
    else:
        raise AssertionError("an outdated schema must be refused")
    assert current_revision(engine) == "0000" != HEAD_REVISION
    engine.dispose()


def test_an_outdated_schema_is_refused_in_german_naming_the_command(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    engine = create_ledger_engine(url)
    ensure_schema(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    engine.dispose()
    result = CliRunner(env={LANG_ENV: ""}).invoke(cli, ["--db", url, "batches"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Die Datenbank des Hauptbuchs hat den Schemastand 0000" in result.stderr
    assert "mit `budget-monitor init` aktualisieren" in result.stderr


def test_the_cheap_revision_check_knows_the_newest_migration() -> None:
    """ensure_schema compares with HEAD_REVISION so that no command must import Alembic."""
    assert migrations_head() == HEAD_REVISION


def test_a_database_without_the_schema_has_no_revision(tmp_path) -> None:
    engine = create_ledger_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert current_revision(engine) is None
    ensure_schema(engine)
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()
