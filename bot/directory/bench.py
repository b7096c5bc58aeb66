"""Benchmarks on synthetic data: nearest-search latency, validate + import time (printed)."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from bot.directory.csvfiles import write_csv_folder
from bot.directory.importer import import_directory, validate_source
from bot.directory.messages import render
from bot.directory.model import Tables
from bot.directory.search import nearest
from bot.directory.store import connect, transaction, write_tables
from bot.directory.taxonomy import load_taxonomy

AREA = (43.0, 58.0, -6.0, 8.0)  # roughly Great Britain and France
LANGS = ("en", "fr", "ar", "fa", "ps", "ti", "ckb", "uk", "ru", "vi", "sq", "so")


def synthetic_tables(
    n: int,
    seed: int = 1,
    today: date = date(2026, 11, 22),
    area: tuple[float, float, float, float] = AREA,
) -> Tables:
    """Make n services, each at its own place with a phone and opening hours (fictional numbers)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    types = list(load_taxonomy().service_types)
    tables: Tables = {
        t: []
        for t in (
            "organizations",
            "services",
            "locations",
            "service_at_locations",
            "phones",
            "schedules",
        )
    }
    for o in range(max(1, n // 10)):
        tables["organizations"].append(
            {
                "id": f"org-{o}",
                "name": f"Organisation {o}",
                "alternate_name": "",
                "description": "",
                "website": f"https://org{o}.example.org",
                "email": "",
            }
        )
    for i in range(n):
        status = rng.choices(["active", "temporarily closed", "closed"], [90, 5, 5])[0]
        assured = (
            "" if rng.random() < 0.1 else (today - timedelta(days=rng.randrange(400))).isoformat()
        )
        tables["services"].append(
            {
                "id": f"svc-{i}",
                "organization_id": f"org-{i % len(tables['organizations'])}",
                "name": f"Service {i}",
                "alternate_name": "",
                "description": "",
                "service_types": "; ".join(rng.sample(types, rng.randint(1, 2))),
                "languages": "; ".join(rng.sample(LANGS, rng.randint(1, 3))),
                "status": status,
                "alert": "",
                "url": "",
                "email": "",
                "interpretation_services": "",
                "eligibility_description": "",
                "application_process": "",
                "fees_description": "",
                "assured_date": assured,
                "assurer": "bench" if assured else "",
            }
        )
        tables["locations"].append(
            {
                "id": f"loc-{i}",
                "organization_id": "",
                "name": "",
                "description": "",
                "location_type": "physical",
                "address_withheld": "no",
                "address_1": "",
                "city": "",
                "region": "",
                "postal_code": "",
                "country": "GB",
                "latitude": repr(round(rng.uniform(area[0], area[1]), 5)),
                "longitude": repr(round(rng.uniform(area[2], area[3]), 5)),
                "approximate": "no",
            }
        )
        tables["service_at_locations"].append(
            {"id": f"sal-{i}", "service_id": f"svc-{i}", "location_id": f"loc-{i}"}
        )
        tables["phones"].append(
            {
                "id": f"ph-{i}",
                "organization_id": "",
                "service_id": f"svc-{i}",
                "location_id": "",
                "number": f"+44207946{i % 1000:04d}",
                "extension": "",
                "type": "voice",
                "languages": "",
                "description": "",
            }
        )
        tables["schedules"].append(
            {
                "id": f"sch-{i}",
                "service_id": f"svc-{i}",
                "location_id": "",
                "service_at_location_id": "",
                "freq": "WEEKLY",
                "byday": "MO,TU,WE,TH,FR",
                "opens_at": "09:00",
                "closes_at": "17:00",
                "valid_from": "",
                "valid_to": "",
                "description": "",
            }
        )
    return tables


def bench_nearest(entries: int, queries: int, out: TextIO, seed: int = 7) -> dict[str, float]:
    """Time nearest() over a synthetic directory; print and return p50/p95/max in ms."""
    rng = random.Random(seed)  # noqa: S311 - synthetic queries, not security
    types = list(load_taxonomy().service_types)
    with tempfile.TemporaryDirectory() as tmp, closing(connect(Path(tmp) / "bench.db")) as db:
        with transaction(db):
            write_tables(db, synthetic_tables(entries))
        timings = []
        for q in range(queries):
            lat, lon = rng.uniform(AREA[0], AREA[1]), rng.uniform(AREA[2], AREA[3])
            kind = q % 10
            service_types = [rng.choice(types)] if kind < 3 else None
            language = rng.choice(LANGS) if 3 <= kind < 5 else None
            start = time.perf_counter()
            nearest(
                db,
                lat,
                lon,
                service_types=service_types,
                language=language,
                limit=5,
                today=date(2026, 11, 22),
            )
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    figures = {
        "p50": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "max": timings[-1],
    }
    print(render("bench_nearest", queries=queries, entries=entries, **figures), file=out)
    return figures


def bench_import(rows: int, out: TextIO) -> dict[str, float]:
    """Time validate and import of CSV files with `rows` services, each with place, phone, hours."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "csv"
        write_csv_folder(synthetic_tables(rows, seed=3), folder)
        start = time.perf_counter()
        _, problems = validate_source(str(folder), today=date(2026, 11, 22))
        validated = time.perf_counter()
        with closing(connect(Path(tmp) / "import.db")) as db:
            outcome = import_directory(db, str(folder), by="bench", today=date(2026, 11, 22))
        done = time.perf_counter()
    if problems or outcome.problems:
        raise RuntimeError(f"synthetic data did not validate: {(problems or outcome.problems)[:3]}")
    figures = {"validate": validated - start, "imported": done - validated, "total": done - start}
    print(render("bench_import", rows=rows, **figures), file=out)
    return figures


def run_benchmarks(entries: int, queries: int, rows: int, out: TextIO) -> None:
    """Run both benchmarks and print their figures."""
    bench_nearest(entries, queries, out)
    bench_import(rows, out)


def main_bench(argv: list[str]) -> int:
    """Entry point: python -m bot.directory.bench [--entries N] [--queries Q] [--rows R]."""
    parser = argparse.ArgumentParser(prog="python -m bot.directory.bench", description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    run_benchmarks(args.entries, args.queries, args.rows, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main_bench(sys.argv[1:]))
