"""The content check (`python -m bot content check`, `bot.content_check`)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot import content_check

FIXTURES = Path(__file__).parent / "routes_fixtures"
DOMAINS = FIXTURES / "domains.yml"
TODAY = "2026-11-22"


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    target = tmp_path / "routes"
    shutil.copytree(FIXTURES / "valid", target)
    return target


def _edit(folder: Path, old: str, new: str) -> None:
    file = folder / "entries.yml"
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(folder: Path, *extra: str) -> int:
    return content_check.main_content_check(
        ["--routes", str(folder), "--domains", str(DOMAINS), "--today", TODAY, *extra]
    )


def test_real_content_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert content_check.main_content_check(["--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert "19 entries in 4 files, 0 errors, 0 due for review" in out
    assert "error:" not in out and "warning:" not in out


def test_real_content_sources_are_all_on_the_allowlist() -> None:
    report = content_check.check_content(today=dt.date(2026, 11, 22))
    assert report.errors == () and report.entries == 19


def test_valid_fixture_passes(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(fixture_dir) == 0
    assert "2 entries in 2 files, 0 errors" in capsys.readouterr().out


def test_missing_field_fails(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(fixture_dir, "    checked_how: fixture, not a real check\n", "")
    assert _run(fixture_dir) == 1
    out = capsys.readouterr().out
    assert (
        "error: " in out
        and "entries.yml: entry 'fixture_route': missing field 'checked_how'" in out
    )


def test_http_url_fails(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(fixture_dir, "https://www.gov.uk/claim-asylum", "http://www.gov.uk/claim-asylum")
    assert _run(fixture_dir) == 1
    out = capsys.readouterr().out
    assert "entry 'fixture_route': source 'http://www.gov.uk/claim-asylum' must use https://" in out


@pytest.mark.parametrize(
    "url",
    [
        "https://www.gov.uk.example.com/claim",
        "https://evilgov.uk/claim",
        "https://freemovement.org.uk/refugee-family-reunion",
    ],
)
def test_non_official_domain_fails(
    fixture_dir: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    _edit(fixture_dir, "https://www.gov.uk/claim-asylum", url)
    assert _run(fixture_dir) == 1
    assert "is not on the official-domains allowlist" in capsys.readouterr().out


@pytest.mark.parametrize(
    "url", ["https://", "https://user:pw@www.gov.uk/x", "https://www.gov.uk:99999/", "www.gov.uk/x"]
)
def test_malformed_url_fails(
    fixture_dir: Path, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    _edit(fixture_dir, "https://www.gov.uk/claim-asylum", url)
    assert _run(fixture_dir) == 1
    assert f"source {url!r}" in capsys.readouterr().out


def test_future_date_fails(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(fixture_dir, "checked: 2026-10-01", "checked: 2027-01-15")
    assert _run(fixture_dir) == 1
    out = capsys.readouterr().out
    assert (
        "entry 'fixture_topic': checked date 2027-01-15 is in the future (today is 2026-11-22)"
        in out
    )


def test_stale_entry_is_listed_for_review_without_failing(
    fixture_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(fixture_dir, "checked: 2026-10-01", "checked: 2026-01-01")
    assert _run(fixture_dir) == 0
    out = capsys.readouterr().out
    assert (
        "review: " in out
        and "entry 'fixture_topic': last checked 2026-01-01, 325 days ago (more than 180)" in out
    )
    assert "fixture_route': last checked" not in out
    assert "1 due for review" in out


def test_max_age_is_configurable(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(fixture_dir, "--max-age-days", "30") == 0
    out = capsys.readouterr().out
    assert "entry 'fixture_topic': last checked 2026-10-01, 52 days ago (more than 30)" in out
    assert "fixture_route': last checked" not in out  # 21 days


def test_unsafe_yaml_fails_the_check(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FIXTURES / "unsafe_tag.yml", fixture_dir / "unsafe_tag.yml")
    assert _run(fixture_dir) == 1
    out = capsys.readouterr().out
    assert "unsafe_tag.yml: not valid safe YAML" in out
    assert "this must never run" not in out.split("not valid safe YAML")[0]


def test_unused_reason_is_a_warning(fixture_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    finder = fixture_dir / "finder.yml"
    finder.write_text(
        finder.read_text(encoding="utf-8").replace(
            "reasons:\n", "reasons:\n  - id: spare\n    text: Never used.\n", 1
        ),
        encoding="utf-8",
    )
    assert _run(fixture_dir) == 0
    assert "warning: " in capsys.readouterr().out


def test_broken_domains_file_fails(
    fixture_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "domains.yml"
    bad.write_text("domains:\n  - domain: https://gov.uk\n    owner: UK\n", encoding="utf-8")
    code = content_check.main_content_check(
        ["--routes", str(fixture_dir), "--domains", str(bad), "--today", TODAY]
    )
    assert code == 1
    assert "each item needs a lowercase 'domain'" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args", [["--max-age-days", "-1"], ["--max-age-days", "soon"], ["--today", "22/11/2026"]]
)
def test_bad_arguments_are_refused(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        content_check.main_content_check(args)
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("host", "official"),
    [
        ("www.gov.uk", True),
        ("gov.uk", True),
        ("help.unhcr.org", True),
        ("WWW.GOV.UK.", True),
        ("evilgov.uk", False),
        ("gov.uk.example.com", False),
        ("unhcr.org.example", False),
    ],
)
def test_official_host_matching(host: str, official: bool) -> None:
    assert content_check.is_official_host(host, ("gov.uk", "unhcr.org")) is official
