"""Loading the routes content and answering questions from it (`bot.routes`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot import routes

FIXTURES = Path(__file__).parent / "routes_fixtures"


@pytest.fixture(scope="module")
def content() -> routes.RoutesContent:
    return routes.load_routes()


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    target = tmp_path / "routes"
    shutil.copytree(FIXTURES / "valid", target)
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    file = folder / name
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {name}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the real content ----

EXPECTED_ROUTES = {
    "uk_refugee_family_reunion",
    "uk_homes_for_ukraine",
    "uk_ukraine_permission_extension",
    "uk_resettlement_scheme",
    "uk_mandate_resettlement",
    "uk_community_sponsorship",
    "uk_acrs",
    "uk_arap",
    "uk_bno_visa",
    "uk_study_work",
    "uk_seasonal_worker",
    "uk_claim_asylum",
    "uk_asylum_support",
    "uk_legal_aid_asylum",
    "uk_modern_slavery_nrm",
    "uk_children_alone",
    "uk_france_transfer_scheme",
    "fr_claim_asylum",
    "dangers_irregular_crossings",
}


def test_real_content_has_every_expected_route(content: routes.RoutesContent) -> None:
    assert {e.id for e in content.entries} == EXPECTED_ROUTES


def test_every_real_entry_is_complete(content: routes.RoutesContent) -> None:
    for entry in content.entries:
        assert entry.sources and all(url.startswith("https://") for url in entry.sources), entry.id
        assert entry.free_help and set(entry.free_help) <= set(routes.SERVICE_TYPES), entry.id
        assert entry.answers and set(entry.answers) <= set(routes.QUESTION_KINDS), entry.id
        assert "not re-fetched" in entry.checked_how, entry.id  # never claim a live check


def test_routes_people_apply_for_answer_all_six_kinds(content: routes.RoutesContent) -> None:
    for entry in content.entries:
        if entry.id != "dangers_irregular_crossings":
            assert set(entry.answers) == set(routes.QUESTION_KINDS), entry.id


def test_closed_and_uncertain_routes_say_so(content: routes.RoutesContent) -> None:
    assert content.entry("uk_arap").status == "closed"
    assert "1 July 2025" in (content.entry("uk_arap").status_note or "")
    assert content.entry("uk_acrs").status == "closed"
    assert content.entry("uk_refugee_family_reunion").status == "uncertain"
    assert "paused" in (content.entry("uk_refugee_family_reunion").status_note or "")


def test_ukraine_family_scheme_closure_is_stated(content: routes.RoutesContent) -> None:
    for route_id in ("uk_homes_for_ukraine", "uk_ukraine_permission_extension"):
        text = " ".join(content.entry(route_id).watch_out)
        assert "Ukraine Family Scheme closed" in text and "February 2024" in text, route_id


def test_resettlement_says_people_cannot_apply(content: routes.RoutesContent) -> None:
    for route_id in ("uk_resettlement_scheme", "uk_mandate_resettlement"):
        entry = content.entry(route_id)
        assert entry.status == "referral_only"
        assert (
            "cannot apply" in entry.eligibility.lower()
            or "cannot apply" in entry.answers["how_to_apply"].lower()
        )


def test_seasonal_worker_carries_exploitation_warnings(content: routes.RoutesContent) -> None:
    text = " ".join(content.entry("uk_seasonal_worker").watch_out)
    for needle in ("recruitment", "08000 121 700", "GLAA"):
        assert needle in text


def test_claim_asylum_says_you_must_be_in_the_uk(content: routes.RoutesContent) -> None:
    entry = content.entry("uk_claim_asylum")
    assert "You must be in the UK" in entry.eligibility
    assert "screening" in entry.how_to_apply and "substantive interview" in entry.how_to_apply


def test_france_entry_names_the_steps(content: routes.RoutesContent) -> None:
    text = content.entry("fr_claim_asylum").how_to_apply
    for step in (
        "SPADA",
        "GUDA",
        "OFPRA",
        "CNDA",
        "La Cimade",
        "France terre d'asile",
        "Forum réfugiés",
    ):
        assert step in text


# ---- find_topic ----


def test_children_question_about_family_reunion(content: routes.RoutesContent) -> None:
    answer = routes.find_topic("children_family", "uk_refugee_family_reunion", content)
    assert answer == routes.Answer(
        "children_family", answer.text, "uk_refugee_family_reunion", False
    )
    assert "under 18" in answer.text


def test_cost_of_claiming_asylum_is_free(content: routes.RoutesContent) -> None:
    answer = routes.find_topic("cost", "uk_claim_asylum", content)
    assert "free" in answer.text.lower() and not answer.general


def test_question_without_a_route_gets_the_general_answer(content: routes.RoutesContent) -> None:
    answer = routes.find_topic("how_long", None, content)
    assert answer.general and answer.route_id is None and "depends on the route" in answer.text


def test_route_without_that_topic_falls_back_to_general(content: routes.RoutesContent) -> None:
    answer = routes.find_topic("who_can_apply", "dangers_irregular_crossings", content)
    assert answer.general and answer.route_id == "dangers_irregular_crossings"
    assert answer.text == content.general_answers["who_can_apply"]


def test_unknown_kind_and_route_are_refused(content: routes.RoutesContent) -> None:
    with pytest.raises(ValueError, match="unknown question kind"):
        routes.find_topic("weather", None, content)
    with pytest.raises(routes.UnknownRouteError, match="no_such_route"):
        routes.find_topic("cost", "no_such_route", content)


def test_find_topic_loads_the_repository_content_by_default() -> None:
    assert (
        routes.find_topic("cost", "uk_claim_asylum").text
        == routes.find_topic("cost", "uk_claim_asylum", routes.load_routes()).text
    )


def test_fixture_answers(fixture_dir: Path) -> None:
    content = routes.load_routes(fixture_dir)
    assert (
        routes.find_topic("children_family", "fixture_route", content).text
        == "Children can come too in the fixture."
    )
    assert routes.find_topic("risks", "fixture_route", content).text == "General risks."


# ---- translation extraction ----


def test_user_texts_cover_people_facing_fields_only() -> None:
    texts = []
    for file in routes.routes_files():
        texts += list(routes.iter_user_texts(yaml.safe_load(file.read_text(encoding="utf-8"))))
    joined = "\n".join(text for _, text in texts)
    paths = {path for path, _ in texts}
    assert "Refugee family reunion (UK)" in joined  # name
    assert "/reasons/hong_kong_bno.text" in paths  # finder reason
    assert "/finder/inputs/location/prompt" in paths
    assert any(p.endswith("/uk_claim_asylum.questions/cost.answer") for p in paths)
    assert "https://" not in joined and "not re-fetched" not in joined  # sources, checked_how


# ---- the loader refuses broken or unsafe content ----


def test_loader_refuses_unsafe_yaml_tags(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text(
        f'entries: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    with pytest.raises(routes.RoutesContentError, match="not valid safe YAML"):
        routes.load_routes(unsafe)
    assert not marker.exists()


def test_loader_refuses_the_unsafe_fixture() -> None:
    with pytest.raises(routes.RoutesContentError, match="unsafe_tag.yml: not valid safe YAML"):
        routes.load_routes(FIXTURES / "unsafe_tag.yml")


def test_loader_refuses_missing_field(fixture_dir: Path) -> None:
    _edit(fixture_dir, "entries.yml", "    cost: Free.\n", "")
    with pytest.raises(
        routes.RoutesContentError, match="entry 'fixture_route': missing field 'cost'"
    ):
        routes.load_routes(fixture_dir)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("free_help: [legal_aid]", "free_help: [lawyers]", "free_help item 'lawyers' is not valid"),
        ("- topic: cost", "- topic: weather", "question topic 'weather' is not one of"),
        (
            "status: closed\n    status_note: Closed in the fixture.\n",
            "status: closed\n",
            "needs a status_note",
        ),
        ("checked: 2026-11-01", "checked: last week", "checked must be a date"),
        ("id: fixture_topic", "id: fixture_route", "id already used"),
        (
            "    cost: Free.\n    watch_out",
            "    cost: Free.\n    colour: red\n    watch_out",
            "unknown field 'colour'",
        ),
    ],
)
def test_loader_names_the_broken_entry(fixture_dir: Path, old: str, new: str, message: str) -> None:
    _edit(fixture_dir, "entries.yml", old, new)
    with pytest.raises(routes.RoutesContentError, match=message):
        routes.load_routes(fixture_dir)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{route: fixture_topic, when: {}",
            "{route: ghost, when: {}",
            "route 'ghost' is not an entry id",
        ),
        (
            "reason: in_france, weight: 5",
            "reason: nowhere, weight: 5",
            "reason 'nowhere' is not defined",
        ),
        ("location: [france]}", "location: [mars]}", "value 'mars' is not allowed"),
        (
            "family_in_uk: [true]}, reason: family, weight: 20",
            "family_in_uk: [yes please]}, reason: family, weight: 20",
            "when.family_in_uk value 'yes please' is not allowed",
        ),
        ("weight: 5}", "weight: -5}", "weight must be a positive whole number"),
        ("  - topic: risks\n    answer: General risks.\n", "", "no general answer for risks"),
    ],
)
def test_loader_names_the_broken_finder_rule(
    fixture_dir: Path, old: str, new: str, message: str
) -> None:
    _edit(fixture_dir, "finder.yml", old, new)
    with pytest.raises(routes.RoutesContentError, match=message):
        routes.load_routes(fixture_dir)


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(routes.RoutesContentError, match="no .yml content files"):
        routes.load_routes(tmp_path)
