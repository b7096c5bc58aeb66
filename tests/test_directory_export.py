"""Export as an HSDS data package (or CSV files) and import back: identical directory."""

from __future__ import annotations

import csv
import io
import json
from contextlib import closing
from pathlib import Path

import pytest
from directory_fixtures.builders import TODAY, base, write_folder

from bot.directory.bench import synthetic_tables
from bot.directory.csvfiles import write_csv_folder
from bot.directory.export import export_directory
from bot.directory.importer import import_directory
from bot.directory.store import connect, content_hash
from bot.directory.taxonomy import DATA_DIR


def _import(db_path: Path, source: Path) -> str:
    with closing(connect(db_path)) as conn:
        outcome = import_directory(conn, str(source), by="tester", today=TODAY)
        assert outcome.problems == [], [str(p) for p in outcome.problems]
        return content_hash(conn, include_log=False)


@pytest.mark.parametrize("target", ["export.json", "export-folder"])
@pytest.mark.parametrize("source", ["fixture", "seed", "synthetic"])
def test_export_then_import_is_identical(tmp_path: Path, source: str, target: str) -> None:
    if source == "fixture":
        folder = write_folder(tmp_path / "src", base())
    elif source == "seed":
        folder = DATA_DIR
    else:
        folder = tmp_path / "src"
        write_csv_folder(synthetic_tables(300, seed=5), folder)
    original = _import(tmp_path / "a.db", folder)
    out = tmp_path / target
    with closing(connect(tmp_path / "a.db")) as conn:
        export_directory(conn, out)
    assert _import(tmp_path / "b.db", out) == original
    with closing(connect(tmp_path / "a.db")) as conn:  # and back into the first: nothing to change
        outcome = import_directory(conn, str(out), by="tester", today=TODAY)
        assert outcome.result is not None and outcome.result.changes == {}


def test_data_package_follows_hsds(tmp_path: Path) -> None:
    _import(tmp_path / "a.db", write_folder(tmp_path / "src", base()))
    with closing(connect(tmp_path / "a.db")) as conn:
        export_directory(conn, tmp_path / "out.json")
    package = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert package["profile"] == "tabular-data-package"
    assert {
        "organization",
        "service",
        "location",
        "address",
        "service_at_location",
        "phone",
        "schedule",
        "language",
        "taxonomy_term",
        "attribute",
    } <= set(resources)
    service = next(s for s in resources["service"]["data"] if s["id"] == "svc-legal")
    assert service["assured_date"] == "2026-10-01" and service["status"] == "active"
    langs = [
        (row["service_id"], row["code"])
        for row in resources["language"]["data"]
        if row["service_id"]
    ]
    assert ("svc-legal", "ar") in langs
    phone_langs = [
        row["code"] for row in resources["language"]["data"] if row["phone_id"] == "ph-legal"
    ]
    assert phone_langs == ["en", "ar"]
    terms = [
        a["taxonomy_term_id"] for a in resources["attribute"]["data"] if a["link_id"] == "svc-legal"
    ]
    assert terms == ["legal_aid", "asylum_advice"]
    london = next(loc for loc in resources["location"]["data"] if loc["id"] == "loc-london")
    assert london["latitude"] == pytest.approx(51.50853) and london["approximate"] is True
    schedule = next(s for s in resources["schedule"]["data"] if s["id"] == "sch-legal")
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"]) == (
        "WEEKLY",
        "MO,TU,WE,TH,FR",
        "09:30",
    )


def test_data_package_with_csv_paths_imports(tmp_path: Path) -> None:
    """An HSDS tabular data package: resources given as CSV files next to datapackage.json."""
    _import(tmp_path / "a.db", write_folder(tmp_path / "src", base()))
    with closing(connect(tmp_path / "a.db")) as conn:
        export_directory(conn, tmp_path / "inline.json")
    package = json.loads((tmp_path / "inline.json").read_text(encoding="utf-8"))
    folder = tmp_path / "tabular"
    folder.mkdir()
    for resource in package["resources"]:
        rows = resource.pop("data")
        names = [f["name"] for f in resource["schema"]["fields"]]
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                    for k, v in row.items()
                }
            )
        resource["path"] = f"{resource['name']}.csv"
        (folder / resource["path"]).write_text(buffer.getvalue(), encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with closing(connect(tmp_path / "a.db")) as conn:
        before = content_hash(conn, include_log=False)
    assert _import(tmp_path / "c.db", folder / "datapackage.json") == before


def test_data_package_paths_cannot_escape_their_folder(tmp_path: Path) -> None:
    package = {"resources": [{"name": "organization", "path": "../secret.csv"}]}
    (tmp_path / "dp.json").write_text(json.dumps(package), encoding="utf-8")
    with closing(connect(tmp_path / "a.db")) as conn:
        outcome = import_directory(conn, str(tmp_path / "dp.json"), by="tester", today=TODAY)
    assert [p.code for p in outcome.problems] == ["resource_path_unsafe"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "file_not_json"),
        ('{"name": "x"}', "not_datapackage"),
        ("[1, 2]", "not_datapackage"),
    ],
)
def test_bad_data_packages_are_explained(tmp_path: Path, text: str, code: str) -> None:
    (tmp_path / "dp.json").write_text(text, encoding="utf-8")
    with closing(connect(tmp_path / "a.db")) as conn:
        outcome = import_directory(conn, str(tmp_path / "dp.json"), by="tester", today=TODAY)
    assert [p.code for p in outcome.problems] == [code]
