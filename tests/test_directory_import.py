"""Import: all or nothing, dry runs, change summaries and the audit log."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from directory_fixtures.builders import TODAY, base, write_folder

from bot.directory.changes import diff_tables, summarise_changes
from bot.directory.importer import apply_import, import_directory
from bot.directory.model import DirectoryError
from bot.directory.store import audit_log, connect, content_hash, read_tables


@pytest.fixture()
def conn(tmp_path: Path):
    with closing(connect(tmp_path / "directory.db")) as connection:
        yield connection


def test_first_import_adds_everything_and_is_audited(conn, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "src", base())
    outcome = import_directory(
        conn, str(folder), by="Ana", today=TODAY, now="2026-11-22T10:00:00+00:00"
    )
    assert outcome.problems == []
    assert outcome.result is not None and outcome.result.applied
    assert outcome.result.changes["services"].added == ("svc-legal", "svc-line", "svc-shelter")
    [entry] = audit_log(conn)
    assert (entry["by"], entry["action"], entry["at"], entry["source"]) == (
        "Ana",
        "import",
        "2026-11-22T10:00:00+00:00",
        str(folder),
    )
    assert entry["changes"]["organizations"]["added"] == ["org-a", "org-b"]


def test_reimport_of_the_same_files_changes_nothing(conn, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "src", base())
    import_directory(conn, str(folder), by="Ana", today=TODAY)
    before = content_hash(conn)
    outcome = import_directory(conn, str(folder), by="Ana", today=TODAY)
    assert (
        outcome.result is not None and outcome.result.changes == {} and not outcome.result.applied
    )
    assert content_hash(conn) == before


def test_dry_run_shows_changes_but_changes_nothing(conn, tmp_path: Path) -> None:
    import_directory(conn, str(write_folder(tmp_path / "v1", base())), by="Ana", today=TODAY)
    raw = base()
    raw["phones"][0]["number"] = "020 7946 0999"
    raw["services"][1]["name"] = "Night shelter (winter)"
    del raw["schedules"][1]
    raw["organizations"].append({"id": "org-c", "name": "Gamma"})
    folder = write_folder(tmp_path / "v2", raw)
    before = content_hash(conn)
    outcome = import_directory(conn, str(folder), by="Ben", dry_run=True, today=TODAY)
    assert outcome.result is not None and not outcome.result.applied
    assert content_hash(conn) == before
    lines = summarise_changes(outcome.result.changes)
    assert "added to organizations: org-c" in lines
    assert "removed from schedules: sch-line" in lines
    assert "changed in services: svc-shelter (name)" in lines
    assert "changed in phones: ph-legal (number)" in lines
    assert "    check before publishing: number was '+442079460123', now '+442079460999'" in lines


def test_applied_change_records_fields_old_and_new(conn, tmp_path: Path) -> None:
    import_directory(conn, str(write_folder(tmp_path / "v1", base())), by="Ana", today=TODAY)
    raw = base()
    raw["services"][0]["status"] = "temporarily closed"
    raw["services"][0]["alert"] = "Closed until 3 January"
    outcome = import_directory(conn, str(write_folder(tmp_path / "v2", raw)), by="Ben", today=TODAY)
    assert outcome.result is not None and outcome.result.audit_id == 2
    entry = audit_log(conn)[-1]
    assert entry["by"] == "Ben"
    assert entry["changes"] == {
        "services": {
            "added": [],
            "removed": [],
            "changed": {
                "svc-legal": {
                    "status": ["active", "temporarily closed"],
                    "alert": ["", "Closed until 3 January"],
                }
            },
        }
    }


def test_failed_import_keeps_previous_directory(conn, tmp_path: Path) -> None:
    import_directory(conn, str(write_folder(tmp_path / "v1", base())), by="Ana", today=TODAY)
    before = content_hash(conn)
    raw = base()
    raw["services"][0]["name"] = "Renamed"  # a good change...
    raw["phones"][1]["number"] = "not a number"  # ...next to a bad one
    outcome = import_directory(conn, str(write_folder(tmp_path / "v2", raw)), by="Ben", today=TODAY)
    assert outcome.problems and outcome.result is None
    assert content_hash(conn) == before
    assert read_tables(conn)["services"][0]["name"] == "Legal advice"


def test_error_while_writing_rolls_back(
    conn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_directory(conn, str(write_folder(tmp_path / "v1", base())), by="Ana", today=TODAY)
    before = content_hash(conn)
    raw = base()
    raw["services"][0]["name"] = "Renamed"

    def broken_rebuild(connection) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("bot.directory.store.rebuild_search", broken_rebuild)
    with pytest.raises(RuntimeError):
        import_directory(conn, str(write_folder(tmp_path / "v2", raw)), by="Ben", today=TODAY)
    assert content_hash(conn) == before


@pytest.mark.parametrize("name", ["", "=cmd|' /C calc'!A0", "x" * 101, "Ana\x1b[31m"])
def test_bad_staff_names_are_refused(conn, tmp_path: Path, name: str) -> None:
    folder = write_folder(tmp_path / "v1", base())
    outcome = import_directory(conn, str(folder), by=name, today=TODAY)
    assert [p.code for p in outcome.problems] == ["bad_name"]
    with pytest.raises(DirectoryError):
        apply_import(conn, {}, by=name, source="x")


def test_diff_and_summary_shorten_long_lists() -> None:
    old = {"organizations": [{"id": f"o{i}", "name": "x"} for i in range(30)]}
    changes = diff_tables(old, {"organizations": []})
    assert changes["organizations"].removed[:2] == ("o0", "o1")
    assert summarise_changes(changes) == [
        "removed from organizations: 30 entries: o0, o1, o10, o11, o12 and 25 more"
    ]


def test_unknown_source_is_explained(conn, tmp_path: Path) -> None:
    outcome = import_directory(conn, str(tmp_path / "nowhere.txt"), by="Ana", today=TODAY)
    assert [p.code for p in outcome.problems] == ["source_unknown"]
