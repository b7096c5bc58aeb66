"""The staff commands, run for real through main(argv)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from directory_fixtures.builders import base, write_folder

from bot.directory.cli import main


@pytest.fixture()
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "var" / "directory.db"
    monkeypatch.setenv("DIRECTORY_DB", str(path))
    return path


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path, capsys) -> None:
    raw = base()
    raw["phones"][0]["number"] = "12345"
    raw["services"][0]["service_types"] = "legal_aid; free_money"
    folder = write_folder(tmp_path / "src", raw)
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "2 problem(s) found" in out
    assert (
        "phones.csv, row 2, number: '12345' is not a valid phone number for United Kingdom." in out
    )
    assert "services.csv, row 2, service_types: 'free_money' is not a service type" in out


def test_validate_ok(tmp_path: Path, capsys) -> None:
    assert main(["validate", str(write_folder(tmp_path / "src", base()))]) == 0
    assert "No problems found" in capsys.readouterr().out


def test_import_dry_run_stale_verify_export_reimport(tmp_path: Path, db_path: Path, capsys) -> None:
    folder = str(write_folder(tmp_path / "src", base()))
    assert main(["--today", "2026-11-22", "import", folder, "--dry-run", "--by", "Ana"]) == 0
    assert "Dry run: nothing was changed" in capsys.readouterr().out
    assert main(["--today", "2026-11-22", "import", folder, "--by", "Ana"]) == 0
    assert "recorded as change 1, by Ana" in capsys.readouterr().out
    assert main(["--today", "2026-11-22", "stale", "--days", "180"]) == 0
    out = capsys.readouterr().out
    assert (
        "2 entries not verified" in out
        and "svc-line: Helpline (Beta Shelter), last verified never" in out
    )
    assert main(["--today", "2026-11-22", "verify", "svc-line", "--by", "Ben"]) == 0
    assert (
        "Verified svc-line on 2026-11-22 by Ben (recorded as change 2)" in capsys.readouterr().out
    )
    assert main(["--today", "2026-11-22", "verify", "svc-nope", "--by", "Ben"]) == 1
    assert "There is no service with id 'svc-nope'" in capsys.readouterr().out
    out_file = tmp_path / "export.json"
    assert main(["export", str(out_file)]) == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["profile"] == "tabular-data-package"
    capsys.readouterr()
    assert main(["--today", "2026-11-22", "import", str(out_file), "--by", "Ana"]) == 0
    assert "No changes" in capsys.readouterr().out


def test_refused_import_exits_1_and_creates_nothing_but_the_empty_schema(
    tmp_path: Path, db_path: Path, capsys
) -> None:
    raw = base()
    raw["organizations"][0]["name"] = '=HYPERLINK("http://evil.example")'
    assert main(["import", str(write_folder(tmp_path / "src", raw)), "--by", "Ana"]) == 1
    assert "formula" in capsys.readouterr().out
    assert main(["stale"]) == 0
    assert "Every entry has been verified" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["verify", "svc-line"])  # --by is required
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "python -m bot directory" in capsys.readouterr().out
