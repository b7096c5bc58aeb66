"""The translator workflow: extraction covers code and content, the check finds errors."""

from __future__ import annotations

import io
import shutil

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from bot import i18n_tools
from bot.messages import MESSAGES
from tests.conftest import REPO_ROOT


def test_template_is_current_and_no_catalog_has_errors() -> None:
    out = io.StringIO()
    code = i18n_tools.check(out=out)
    assert code == 0, out.getvalue()


def test_extraction_covers_messages_and_content_files() -> None:
    template = i18n_tools.extract()
    contexts = {m.context for m in template if m.id}
    assert set(MESSAGES) <= contexts
    sources = {loc[0] for m in template if m.id for loc in m.locations}
    assert "data/content/helplines.yml" in sources
    assert "data/directory/taxonomy.yml" in sources
    assert "data/directory/services.csv" in sources  # service names people see in results
    assert any(s.startswith("data/content/routes/") for s in sources)
    ids = {m.id for m in template if m.id}
    assert "Modern Slavery and Exploitation Helpline" in ids


def _broken_copy(tmp_path, monkeypatch, lang: str, context: str, text: str):
    locales = tmp_path / "locales"
    shutil.copytree(REPO_ROOT / "locales", locales)
    path = locales / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog: Catalog = read_po(handle, locale=lang)
    for message in catalog:
        if message.context == context:
            message.string = text
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(i18n_tools, "LOCALES", locales)
    monkeypatch.setattr(i18n_tools, "TEMPLATE", locales / "messages.pot")
    monkeypatch.setattr(i18n_tools, "STATUS_FILE", locales / "status.yml")


@pytest.mark.parametrize(
    ("context", "text", "error"),
    [("helpline_country", "{pays} :", "placeholders"),
     ("greet", "<b>Bonjour", "HTML tags")],
)
def test_check_reports_translation_errors(tmp_path, monkeypatch, context, text, error) -> None:
    _broken_copy(tmp_path, monkeypatch, "fr", context, text)
    out = io.StringIO()
    assert i18n_tools.check(out=out) == 1
    assert error in out.getvalue() and "fr:" in out.getvalue()


def test_check_reports_a_stale_template(tmp_path, monkeypatch) -> None:
    _broken_copy(tmp_path, monkeypatch, "fr", "greet", "Bonjour.")
    template = tmp_path / "locales" / "messages.pot"
    with template.open("rb") as handle:
        catalog = read_po(handle)
    catalog.delete(MESSAGES["greet"], context="greet")
    with template.open("wb") as handle:
        write_po(handle, catalog)
    out = io.StringIO()
    assert i18n_tools.check(out=out) == 1
    assert "out of date" in out.getvalue()


def test_readme_shows_the_current_translation_status() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert i18n_tools.status_table() in readme, "run `python -m bot i18n status` and update README"
