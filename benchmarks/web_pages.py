"""Server time of each page of the web atlas (issue 20 item 6: every page within 300 ms on the
5-million-posting benchmark ledger).

Run by hand from the repository root (see benchmarks/README.md):

    .venv/bin/python benchmarks/web_pages.py --demo                 # the demo city (builds it)
    .venv/bin/python benchmarks/web_pages.py --postings 5000000     # spend_trace.py's ledger
    .venv/bin/python benchmarks/web_pages.py --postings 1000000     # any size: built, cached
    .venv/bin/python benchmarks/web_pages.py --ledger sqlite:///path/to/ledger.db

Each page is requested in-process through Starlette's test client (no network, no browser:
the time is the server's: routing, the ledger check, the figures, the template), once cold
(first request after start) and then `--repeat` times warm; the table shows the cold time and
the median and maximum of the warm ones, with the answer's status and size. A page the ledger
cannot fill (a benchmark ledger without indicators has no need) is listed with its status.
The large ledger is spend_trace.py's (same cache folder, same builder); a copy is taken so the
users and sessions this script writes never touch it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from ledger.database import create_ledger_engine
from ledger.derived_allocation import refresh_allocations
from ledger.web_accounts import UserExists, add_user
from monitor.settings import load_settings
from monitor.web.app import create_app
from monitor.web.passwords import hash_password

PASSWORD = "benchmark-kennwort"


def pages(district: str, year: int, programme: str | None) -> list[str]:
    listed = [
        "/login",
        f"/?year={year}",
        f"/?year={year}&view=per_capita",
        f"/districts/{district}?year={year}",
        "/reports",
        f"/trace?district={district}&year={year}",
        f"/trace?district={district}&year={year}&start=200",  # the second page of items
        "/imports",
        "/admin",
        "/gibt-es-nicht",  # the 404 page
        f"/api/spend?by=district&year={year}",
        f"/api/spend?by=measure&year={year}",
        "/api/need",
        f"/api/trace?district={district}&year={year}",
        f"/trace.xlsx?district={district}&year={year}",
    ]
    if programme:
        listed.insert(4, f"/programs/{programme}")
    return listed


def demo_ledger(folder: Path) -> str:
    subprocess.run(
        [sys.executable, "-m", "monitor", "demo", "--dir", str(folder / "demo")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return f"sqlite:///{folder / 'demo' / 'ledger.db'}"


def large_ledger(postings: int, seed: int, folder: Path) -> str:
    """spend_trace.py's ledger of `postings` postings (built once, cached), copied to `folder`."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from journal_export import cache_folder
    from spend_trace import write_ledger

    cached = cache_folder() / f"spend-trace-{postings}-seed{seed}.db"
    if not cached.exists():
        print(f"building a ledger of {postings:,} postings in {cached} …", file=sys.stderr)
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        write_ledger(partial, postings, seed)  # renamed only when whole
        partial.rename(cached)
    if not cached.with_suffix(".derived").exists():
        # The derived allocation table, built once as `spend` would on its first read after
        # the catalog import (docs/performance-ledger.md measures that read): "cold" below is
        # then the first request after the atlas starts, not the first read after an import.
        engine = create_ledger_engine(f"sqlite:///{cached}")
        refresh_allocations(engine, load_settings(None).ledger.spending_patterns, None)
        engine.dispose()
        cached.with_suffix(".derived").touch()
    shutil.copy2(cached, folder / "ledger.db")
    return f"sqlite:///{folder / 'ledger.db'}"


def sign_in(client: TestClient) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    client.post(
        "/login",
        data={"csrf_token": token.group(1), "name": "bench", "password": PASSWORD},
        follow_redirects=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--demo", action="store_true", help="the demo city")
    source.add_argument("--postings", type=int, help="spend_trace.py's ledger of N postings")
    source.add_argument("--ledger", help="a ledger URL (users are added to it)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--district", help="default: SR03 (demo), S07 (benchmark ledger)")
    parser.add_argument("--year", type=int, help="default: 2024 (demo), 2024 (benchmark)")
    parser.add_argument("--programme", help="default: Familienzentren on the demo")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-pages-") as temp:
        folder = Path(temp)
        if args.demo:
            url, district, programme = demo_ledger(folder), "SR03", "Familienzentren"
        elif args.postings:
            url, district, programme = large_ledger(args.postings, args.seed, folder), "S07", None
        else:
            url, district, programme = args.ledger, args.district or "SR03", args.programme
        district = args.district or district
        programme = args.programme or programme
        year = args.year or 2024
        os.chdir(folder)
        started = time.perf_counter()
        app = create_app(load_settings(None), url)
        print(f"atlas start-up (schema check, engine): {time.perf_counter() - started:.2f} s")
        with contextlib.suppress(UserExists):  # a second run on the same --ledger
            add_user(app.state.atlas.engine, "bench", "admin", hash_password(PASSWORD))
        client = TestClient(app)
        sign_in(client)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print("\n| page | status | KiB | cold ms | warm median ms | warm max ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for page in pages(district, year, programme):
            times = []
            for _ in range(args.repeat + 1):
                begun = time.perf_counter()
                answer = client.get(page)
                times.append((time.perf_counter() - begun) * 1000)
            warm = times[1:]
            print(
                f"| `{page}` | {answer.status_code} | {len(answer.content) / 1024:.0f} | "
                f"{times[0]:.0f} | {statistics.median(warm):.0f} | {max(warm):.0f} |"
            )
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
