"""Entries due for re-checking, and staff re-confirming an entry (recorded in the audit log)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date

from bot.directory.changes import TableChanges, changes_as_json
from bot.directory.importer import check_name, utc_now
from bot.directory.model import DirectoryError, Problem
from bot.directory.search import STALE_DAYS, is_stale
from bot.directory.store import record_audit, transaction


@dataclass(frozen=True)
class StaleEntry:
    """A service not verified within the allowed number of days."""

    service_id: str
    name: str
    organization: str
    assured_date: date | None
    assurer: str
    days_since: int | None  # None: never verified


def stale_entries(
    db: sqlite3.Connection, days: int = STALE_DAYS, today: date | None = None
) -> list[StaleEntry]:
    """Return open services not verified within days: never-verified first, then oldest."""
    day = today or date.today()
    rows = db.execute(
        "SELECT s.id, s.name, s.assured_date, s.assurer, o.name AS org FROM services s "
        "JOIN organizations o ON o.id = s.organization_id WHERE s.status != 'closed' ORDER BY "
        "s.assured_date, s.id"
    ).fetchall()
    out = []
    for row in rows:
        if not is_stale(row["assured_date"], day, days):
            continue
        assured = date.fromisoformat(row["assured_date"]) if row["assured_date"] else None
        out.append(
            StaleEntry(
                row["id"],
                row["name"],
                row["org"],
                assured,
                row["assurer"],
                (day - assured).days if assured else None,
            )
        )
    return out


def verify_entry(
    db: sqlite3.Connection,
    service_id: str,
    *,
    by: str,
    today: date | None = None,
    now: str | None = None,
) -> int:
    """Record that staff member `by` re-confirmed a service today; return the audit entry id."""
    problem = check_name(by)
    if problem:
        raise DirectoryError([problem])
    day = (today or date.today()).isoformat()
    with transaction(db):
        row = db.execute(
            "SELECT assured_date, assurer FROM services WHERE id = ?", (service_id,)
        ).fetchone()
        if row is None:
            raise DirectoryError(
                [Problem("services", None, "id", "unknown_service", {"value": service_id})]
            )
        db.execute(
            "UPDATE services SET assured_date = ?, assurer = ? WHERE id = ?", (day, by, service_id)
        )
        db.execute(
            "UPDATE search_points SET assured_date = ? WHERE service_id = ?", (day, service_id)
        )
        db.execute(
            "UPDATE remote_services SET assured_date = ? WHERE service_id = ?", (day, service_id)
        )
        fields = {
            name: (old, new)
            for name, old, new in (
                ("assured_date", row["assured_date"], day),
                ("assurer", row["assurer"], by),
            )
            if old != new
        }
        changes = {"services": TableChanges(changed={service_id: fields})} if fields else {}
        return record_audit(
            db,
            at=now or utc_now(),
            by=by,
            action="verify",
            source=service_id,
            changes=json.dumps(changes_as_json(changes), ensure_ascii=False),
        )
