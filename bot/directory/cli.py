"""NGO staff commands: python -m bot directory validate|import|export|stale|verify|bench."""

from __future__ import annotations

import argparse
import getpass
import sys
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.directory.changes import summarise_changes
from bot.directory.export import export_directory
from bot.directory.importer import import_directory, validate_source
from bot.directory.messages import render
from bot.directory.model import TABLES, DirectoryError, Problem
from bot.directory.sources import is_url
from bot.directory.stale import stale_entries, verify_entry
from bot.directory.store import connect, default_db_path
from bot.directory.taxonomy import DATA_DIR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot directory",
        description="Manage the directory of help centres: check and import the spreadsheet files, "
        "export, and find entries due for re-checking.",
    )
    parser.add_argument(
        "--db", type=Path, help="database file (default: $DIRECTORY_DB or var/directory.db)"
    )
    parser.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate", help="check a folder of CSV files (or a data package) and list every problem"
    )
    p.add_argument(
        "source",
        nargs="?",
        default=str(DATA_DIR),
        help="folder, .json file or URL (default: data/directory)",
    )

    p = sub.add_parser("import", help="replace the directory with a source, all or nothing")
    p.add_argument(
        "source",
        nargs="?",
        default=str(DATA_DIR),
        help="folder, .json file or URL (default: data/directory)",
    )
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    p.add_argument(
        "--by", default=None, help="your name, recorded in the audit log (default: your login name)"
    )
    p.add_argument(
        "--force", action="store_true", help="download even if the server says nothing changed"
    )
    p.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for a server (default 10)"
    )

    p = sub.add_parser(
        "export",
        help="write the directory as an HSDS data package (.json) or a folder of CSV files",
    )
    p.add_argument("out", type=Path, help="a .json file, or a folder for CSV files")

    p = sub.add_parser("stale", help="list entries not verified recently")
    p.add_argument(
        "--days", type=int, default=180, help="how recent a check must be (default 180 days)"
    )

    p = sub.add_parser("verify", help="record that you re-checked an entry today")
    p.add_argument("id", help="the service id")
    p.add_argument("--by", required=True, help="your name, recorded in the audit log")

    p = sub.add_parser("bench", help="measure search and import speed on synthetic data")
    p.add_argument("--entries", type=int, default=100_000)
    p.add_argument("--queries", type=int, default=2000)
    p.add_argument("--rows", type=int, default=10_000)
    return parser


def _print_problems(problems: list[Problem], source: str, out: TextIO) -> None:
    print(render("problems_found", count=len(problems), source=source), file=out)
    for problem in problems:
        print(f"  {problem}", file=out)


def _default_by() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def _cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    tables, problems = validate_source(args.source, today=args.today, force=True)
    if problems:
        _print_problems(problems, args.source, out)
        return 1
    counts = ", ".join(f"{len(tables[t])} {t}" for t in TABLES)
    print(render("validate_ok", source=args.source, counts=counts), file=out)
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    by = args.by or _default_by()
    source = args.source if is_url(args.source) else str(Path(args.source))
    with closing(connect(args.db or default_db_path())) as conn:
        outcome = import_directory(
            conn,
            source,
            by=by,
            dry_run=args.dry_run,
            today=args.today,
            force=args.force,
            timeout=args.timeout,
        )
    if outcome.problems:
        _print_problems(outcome.problems, source, out)
        return 1
    if outcome.not_modified:
        print(render("not_modified", source=source), file=out)
        return 0
    result = outcome.result
    if result is None or not result.changes:
        print(render("no_changes", source=source), file=out)
        return 0
    if args.dry_run:
        print(render("dry_run", source=source), file=out)
    else:
        print(render("import_applied", source=source, audit_id=result.audit_id, by=by), file=out)
    for line in summarise_changes(result.changes):
        print(f"  {line}", file=out)
    return 0


def _cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    with closing(connect(args.db or default_db_path())) as conn:
        count = export_directory(conn, args.out)
    print(render("export_done", count=count, out=args.out), file=out)
    return 0


def _cmd_stale(args: argparse.Namespace, out: TextIO) -> int:
    with closing(connect(args.db or default_db_path())) as conn:
        entries = stale_entries(conn, args.days, args.today)
    if not entries:
        print(render("stale_none", days=args.days), file=out)
        return 0
    print(render("stale_header", count=len(entries), days=args.days), file=out)
    for e in entries:
        assured = e.assured_date.isoformat() if e.assured_date else render("stale_never")
        print(
            "  "
            + render(
                "stale_line",
                id=e.service_id,
                name=e.name,
                organization=e.organization,
                assured=assured,
            ),
            file=out,
        )
    return 0


def _cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    today = args.today or date.today()
    with closing(connect(args.db or default_db_path())) as conn:
        audit_id = verify_entry(conn, args.id, by=args.by, today=today)
    print(
        render("verify_done", id=args.id, date=today.isoformat(), by=args.by, audit_id=audit_id),
        file=out,
    )
    return 0


def _cmd_bench(args: argparse.Namespace, out: TextIO) -> int:
    from bot.directory.bench import run_benchmarks

    run_benchmarks(entries=args.entries, queries=args.queries, rows=args.rows, out=out)
    return 0


COMMANDS = {
    "validate": _cmd_validate,
    "import": _cmd_import,
    "export": _cmd_export,
    "stale": _cmd_stale,
    "verify": _cmd_verify,
    "bench": _cmd_bench,
}


def main(argv: list[str]) -> int:
    """Run one directory command; return the process exit code (1 when problems were found)."""
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        return COMMANDS[args.command](args, out)
    except DirectoryError as exc:
        _print_problems(exc.problems, getattr(args, "source", args.command), out)
        return 1
