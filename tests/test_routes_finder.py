"""The guided route finder (`bot.routes.routes_for_profile`) on the real and fixture content."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import routes

FIXTURES = Path(__file__).parent / "routes_fixtures"
NATIONALITY_ROUTES = {
    "uk_bno_visa",
    "uk_homes_for_ukraine",
    "uk_ukraine_permission_extension",
    "uk_acrs",
    "uk_arap",
}
ADULT_ONLY_ROUTES = {"uk_study_work", "uk_seasonal_worker", "uk_france_transfer_scheme"}


@pytest.fixture(scope="module")
def content() -> routes.RoutesContent:
    return routes.load_routes()


def ids(result: list[tuple[str, list[str]]]) -> list[str]:
    return [route for route, _ in result]


def test_everything_skipped_gives_the_general_set_with_reasons(
    content: routes.RoutesContent,
) -> None:
    result = routes.routes_for_profile(None, None, None, None, content)
    found = ids(result)
    for expected in (
        "uk_refugee_family_reunion",
        "uk_claim_asylum",
        "fr_claim_asylum",
        "uk_resettlement_scheme",
        "uk_legal_aid_asylum",
        "dangers_irregular_crossings",
    ):
        assert expected in found
    assert not NATIONALITY_ROUTES & set(found)
    assert "uk_children_alone" not in found
    assert len(found) == len(set(found))
    for route, reasons in result:
        assert reasons, route
        assert all(reason in content.reasons for reason in reasons), route
        content.entry(route)  # every suggestion is a real entry


def test_skipped_reasons_are_conditional(content: routes.RoutesContent) -> None:
    result = dict(routes.routes_for_profile(None, None, None, None, content))
    assert result["uk_refugee_family_reunion"] == ["if_family_has_protection_in_uk"]
    assert content.reasons["if_family_has_protection_in_uk"].startswith("If ")


@pytest.mark.parametrize("location", [None, "uk", "france", "elsewhere"])
def test_family_with_protection_in_the_uk_ranks_family_reunion_first(
    content: routes.RoutesContent, location: str | None
) -> None:
    result = routes.routes_for_profile(location, None, True, None, content)
    assert result[0] == ("uk_refugee_family_reunion", ["family_has_protection_in_uk"])


def test_family_without_protection_drops_family_reunion(content: routes.RoutesContent) -> None:
    assert "uk_refugee_family_reunion" not in ids(
        routes.routes_for_profile(None, None, False, None, content)
    )


def test_under_18_and_alone(content: routes.RoutesContent) -> None:
    result = routes.routes_for_profile(None, None, None, True, content)
    assert result[0] == ("uk_children_alone", ["child_alone_uk"])
    assert not ADULT_ONLY_ROUTES & set(ids(result))
    assert "child_exploitation_help" in dict(result)["uk_modern_slavery_nrm"]


def test_under_18_and_alone_in_france(content: routes.RoutesContent) -> None:
    result = routes.routes_for_profile("france", None, None, True, content)
    assert result[0][0] == "fr_claim_asylum"
    assert "child_alone_france" in result[0][1]
    assert "uk_children_alone" not in ids(result)
    assert not ADULT_ONLY_ROUTES & set(ids(result))


@pytest.mark.parametrize("spelling", ["ukraine", "Ukrainian", "UA", "україна", "  UKRAINE "])
def test_ukrainian_outside_the_uk(content: routes.RoutesContent, spelling: str) -> None:
    result = routes.routes_for_profile(None, spelling, None, None, content)
    assert result[0] == ("uk_homes_for_ukraine", ["ukrainian_outside_uk"])
    assert "uk_ukraine_permission_extension" in ids(result)
    assert "Ukraine Family Scheme closed" in content.reasons["ukrainian_outside_uk"]


def test_ukrainian_in_the_uk_gets_the_extension_not_the_sponsorship(
    content: routes.RoutesContent,
) -> None:
    result = routes.routes_for_profile("United Kingdom", "ukraine", None, None, content)
    assert result[0] == ("uk_ukraine_permission_extension", ["ukrainian_in_uk"])
    assert "uk_homes_for_ukraine" not in ids(result)


@pytest.mark.parametrize("spelling", ["afghanistan", "Afghan", "AF"])
def test_afghan(content: routes.RoutesContent, spelling: str) -> None:
    result = dict(routes.routes_for_profile(None, spelling, None, None, content))
    assert result["uk_arap"] == ["afghan_schemes_closed"]
    assert result["uk_acrs"] == ["afghan_schemes_closed"]
    assert "afghan_unhcr_resettlement" in result["uk_resettlement_scheme"]
    assert "closed" in content.reasons["afghan_schemes_closed"]


@pytest.mark.parametrize("spelling", ["hong_kong", "Hong Kong", "HK", "BN(O)", "hong-kong"])
def test_hong_kong(content: routes.RoutesContent, spelling: str) -> None:
    result = routes.routes_for_profile(None, spelling, None, None, content)
    assert result[0] == ("uk_bno_visa", ["hong_kong_bno"])


def test_other_nationality_gets_no_nationality_routes(content: routes.RoutesContent) -> None:
    result = routes.routes_for_profile(None, "Syrian", None, None, content)
    assert not NATIONALITY_ROUTES & set(ids(result))
    assert ids(result) == ids(routes.routes_for_profile(None, "other", None, None, content))


def test_location_variants_and_unknown_places(content: routes.RoutesContent) -> None:
    in_calais = routes.routes_for_profile("Calais", None, None, None, content)
    assert in_calais == routes.routes_for_profile("france", None, None, None, content)
    assert in_calais[0][0] == "fr_claim_asylum"
    assert "uk_claim_asylum" not in ids(in_calais)  # you must be in the UK to claim there
    unknown = routes.routes_for_profile("Narnia", None, None, None, content)
    assert unknown == routes.routes_for_profile(None, None, None, None, content)


def test_in_the_uk(content: routes.RoutesContent) -> None:
    found = ids(routes.routes_for_profile("uk", None, None, None, content))
    assert found[:3] == ["uk_claim_asylum", "uk_legal_aid_asylum", "uk_asylum_support"]
    assert "fr_claim_asylum" not in found


def test_yes_no_answers_must_be_booleans(content: routes.RoutesContent) -> None:
    with pytest.raises(TypeError, match="family_in_uk"):
        routes.routes_for_profile(None, None, "yes", None, content)  # type: ignore[arg-type]


# ---- the algorithm, on the fixture where the weights are known ----


@pytest.fixture(scope="module")
def fixture_content() -> routes.RoutesContent:
    return routes.load_routes(FIXTURES / "valid")


def test_weights_add_up_and_reasons_are_not_repeated(fixture_content: routes.RoutesContent) -> None:
    result = routes.routes_for_profile(None, "ua", True, None, fixture_content)
    assert result == [("fixture_route", ["always", "family"]), ("fixture_topic", ["always"])]


def test_ties_keep_rule_order_and_location_breaks_them(
    fixture_content: routes.RoutesContent,
) -> None:
    assert ids(routes.routes_for_profile(None, None, None, None, fixture_content)) == [
        "fixture_route",
        "fixture_topic",
    ]
    assert ids(routes.routes_for_profile("calais", None, None, None, fixture_content)) == [
        "fixture_topic",
        "fixture_route",
    ]
