"""Staleness with a frozen clock, and staff re-confirming an entry."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from directory_fixtures.builders import TODAY, base, write_folder

from bot.directory.importer import import_directory
from bot.directory.model import DirectoryError
from bot.directory.search import is_stale, nearest
from bot.directory.stale import stale_entries, verify_entry
from bot.directory.store import audit_log, connect, content_hash


@pytest.fixture()
def db(tmp_path: Path):
    with closing(connect(tmp_path / "d.db")) as conn:
        outcome = import_directory(
            conn, str(write_folder(tmp_path / "src", base())), by="setup", today=TODAY
        )
        assert outcome.problems == []
        yield conn


@pytest.mark.parametrize(
    ("assured", "today", "stale"),
    [
        ("2026-05-26", date(2026, 11, 22), False),  # exactly 180 days
        ("2026-05-25", date(2026, 11, 22), True),  # 181 days
        ("", date(2026, 11, 22), True),  # never verified
        ("2026-11-22", date(2026, 11, 22), False),
    ],
)
def test_is_stale_counts_days(assured: str, today: date, stale: bool) -> None:
    assert is_stale(assured, today, 180) is stale


def test_stale_entries_with_a_frozen_clock(db) -> None:
    entries = stale_entries(db, 180, today=TODAY)
    assert [(e.service_id, e.days_since) for e in entries] == [
        ("svc-line", None),
        ("svc-shelter", 681),
    ]
    assert entries[1].assured_date == date(2025, 1, 10) and entries[1].assurer == "Ben"
    assert [e.service_id for e in stale_entries(db, 30, today=TODAY)] == [
        "svc-line",
        "svc-shelter",
        "svc-legal",
    ]
    assert [e.service_id for e in stale_entries(db, 1000, today=TODAY)] == ["svc-line"]
    in_2027 = stale_entries(db, 180, today=date(2027, 4, 1))
    assert "svc-legal" in [e.service_id for e in in_2027]


def test_closed_entries_are_not_listed_as_stale(tmp_path: Path) -> None:
    raw = base()
    raw["services"][2]["status"] = "closed"
    with closing(connect(tmp_path / "d.db")) as conn:
        import_directory(conn, str(write_folder(tmp_path / "src", raw)), by="setup", today=TODAY)
        assert [e.service_id for e in stale_entries(conn, 180, today=TODAY)] == ["svc-shelter"]


def test_verify_sets_today_and_is_audited(db) -> None:
    audit_id = verify_entry(
        db, "svc-shelter", by="Chloé", today=TODAY, now="2026-11-22T12:00:00+00:00"
    )
    assert [e.service_id for e in stale_entries(db, 180, today=TODAY)] == ["svc-line"]
    [result] = nearest(db, 50.95, 1.85, service_types=["shelter"], limit=1, today=TODAY)
    assert result.assured_date == TODAY and not result.stale
    entry = audit_log(db)[-1]
    assert entry["id"] == audit_id and entry["action"] == "verify" and entry["by"] == "Chloé"
    assert entry["changes"]["services"]["changed"]["svc-shelter"] == {
        "assured_date": ["2025-01-10", "2026-11-22"],
        "assurer": ["Ben", "Chloé"],
    }


def test_verify_unknown_entry_changes_nothing(db) -> None:
    before = content_hash(db)
    with pytest.raises(DirectoryError) as caught:
        verify_entry(db, "svc-nope", by="Chloé", today=TODAY)
    assert caught.value.problems[0].code == "unknown_service"
    with pytest.raises(DirectoryError):
        verify_entry(db, "svc-shelter", by='=HYPERLINK("x")', today=TODAY)
    assert content_hash(db) == before
