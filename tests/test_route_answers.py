"""Answers about routes, asylum and legal aid, and the route finder (`bot.route_answers`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import route_answers as ra
from bot.buttons import button_action
from bot.messages import MESSAGES
from bot.render import Renderer
from bot.routes import FINDER_INPUTS, QUESTION_KINDS, RoutesContent
from tests.conftest import REPO_ROOT

STORIES = REPO_ROOT / "tests" / "stories" / "test_routes.yml"
ROUTE_ACTIONS = {"action_safe_routes", "action_claim_asylum", "action_legal_aid", "action_route_followup"}
TELEGRAM_MAX = 4096



@pytest.fixture(scope="module")
def content() -> RoutesContent:
    return ra.routes_content()


@pytest.fixture(scope="module")
def tables() -> ra.KeywordTables:
    return ra.keyword_tables()


def route_ids(content: RoutesContent) -> list[str]:
    return [entry.id for entry in content.entries]


def messages_in(payload: Any) -> Iterator[str]:
    """Every message name a payload uses, however deeply nested."""
    if isinstance(payload, dict):
        if isinstance(payload.get("msg"), str):
            yield payload["msg"]
        for value in payload.values():
            yield from messages_in(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from messages_in(item)


def texts_in(payload: Any) -> Iterator[str]:
    """Every content text ({"t": ...}) a payload sends."""
    if isinstance(payload, dict):
        if "t" in payload:
            yield payload["t"]
        for value in payload.values():
            yield from texts_in(value)
    elif isinstance(payload, list):
        for item in payload:
            yield from texts_in(item)


def assert_renders(payload: dict[str, Any], langs: tuple[str, ...] = ("en", "ar", "fr")) -> None:
    """The payload renders in each language, every button is allowlisted and fits Telegram."""
    for key in payload.get("buttons", []):
        assert button_action(key) is not None, key
        assert len(key.encode()) <= 64, key
    for lang in langs:
        reply = Renderer().reply(lang, payload)
        assert reply.text.strip() and "{" not in reply.text, (lang, reply.text)
        assert len(reply.text) < TELEGRAM_MAX, (lang, len(reply.text))
        assert len(reply.buttons) == len(payload.get("buttons", []))


# ---- folding and matching ----


@pytest.mark.parametrize("text", ["Réfugié", "أطفالي", "لاجئ", "HELPPP", "ـكيف", "Ukraïne", "ی ک"])
def test_folding_is_the_language_models(text: str) -> None:
    from bot.nlu_components import fold_text

    assert ra.fold(text) == fold_text(text)


def test_words_drop_punctuation_and_keep_arabic_and_digits() -> None:
    assert ra.words("L'asile, au Royaume-Uni ?") == ["l", "asile", "au", "royaume", "uni"]
    assert ra.words("BN(O) visa!") == ["bn", "o", "visa"]
    assert ra.words("هل يكلف مالاً؟ 18") == ["هل", "يكلف", "مالا", "18"]


def test_arabic_words_match_without_their_prefixes() -> None:
    keyword = ra.Keyword((("لجوء",),))
    assert ra.find(keyword, ra.Prepared.of("طلب اللجوء")) is not None
    assert ra.find(keyword, ra.Prepared.of("وباللجوء")) is not None
    assert ra.find(ra.Keyword((("اطفال*",),)), ra.Prepared.of("أطفالي")) is not None


def test_all_of_keywords_and_used_words() -> None:
    keyword = ra.Keyword((("husband",), ("refugee",)))
    message = ra.Prepared.of("my husband is a refugee")
    assert ra.find(keyword, message) == frozenset({1, 4})
    assert ra.find(keyword, message, excluded=frozenset({1})) is None
    assert ra.find(keyword, ra.Prepared.of("my husband")) is None


def test_button_payloads_have_no_words() -> None:
    assert ra.understand('/safe_routes{"route_id": "uk_bno_visa"}', "en") == ra.Understanding()


# ---- the keyword tables ----


def test_tables_cover_english_french_arabic_and_mark_the_rest_draft(tables: ra.KeywordTables) -> None:
    assert {code: t.status for code, t in tables.languages.items() if t.status == "tested"} == {
        "en": "tested", "fr": "tested", "ar": "tested"}
    assert all(t.status == "draft" for code, t in tables.languages.items() if code not in ("en", "fr", "ar"))
    for code in ("en", "fr", "ar"):
        t = tables.languages[code]
        assert set(t.kinds) == set(QUESTION_KINDS), code
        assert t.finder and t.uncovered and t.yes and t.no and t.skip, code
        assert set(t.countries) == {"uk", "france"}, code


def test_every_route_has_english_keywords(tables: ra.KeywordTables, content: RoutesContent) -> None:
    assert set(tables.languages["en"].routes) == set(route_ids(content))


def _copy_tables(tmp_path: Path) -> Path:
    folder = tmp_path / "keywords"
    shutil.copytree(ra.default_keywords_dir(), folder)
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("route_keywords.yml", "      uk_bno_visa: [bno,", "      uk_bno_vis: [bno,",
         "'uk_bno_vis' is not one of"),
        ("question_keywords.yml", "      cost: [cost,", "      price: [cost,", "'price' is not one of"),
        ("finder_keywords.yml", '["no", "n", nope', "[no, n, nope", "is not a keyword"),
        ("finder_keywords.yml", "    yes_answers:", "    yes:", "unknown keys"),
        ("question_keywords.yml", "  fr:\n    status: tested", "  xx:\n    status: tested",
         "'xx' is not a supported"),
        ("route_keywords.yml", "  claim_asylum: {uk: uk_claim_asylum", "  claim_asylum: {uk: uk_claim",
         "'uk_claim' is not a route id"),
    ],
)
def test_broken_tables_are_refused(tmp_path: Path, file: str, old: str, new: str, problem: str) -> None:
    folder = _copy_tables(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ra.KeywordTablesError, match=problem.replace("(", r"\(")):
        ra.load_keyword_tables(folder)


def test_tables_are_read_safely(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "route_keywords.yml").write_text("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(ra.KeywordTablesError, match="cannot read"):
        ra.load_keyword_tables(folder)


# ---- which kind of question ----

KINDS = [
    ("en", "can my children come too?", "children_family"),
    ("en", "how long does it take?", "how_long"),
    ("en", "does it cost money?", "cost"),
    ("en", "how much is it", "cost"),
    ("en", "how do I claim asylum?", "how_to_apply"),
    ("en", "who can apply for this", "who_can_apply"),
    ("en", "how can i apply", "how_to_apply"),
    ("en", "is it safe or a scam?", "risks"),
    ("en", "is there a safe way to reach the UK?", None),
    ("en", "my husband is a refugee in Britain, can I join him?", None),
    ("en", "tell me about refugee family reunion", None),  # "family" names the route here
    ("fr", "est-ce que mes enfants peuvent venir aussi ?", "children_family"),
    ("fr", "combien de temps ça prend ?", "how_long"),
    ("fr", "est-ce que ça coûte de l'argent ?", "cost"),
    ("fr", "comment demander l'asile ?", "how_to_apply"),
    ("fr", "qui peut demander ?", "who_can_apply"),
    ("fr", "est-ce que c'est une arnaque ?", "risks"),
    ("fr", "est-ce qu'il existe un moyen sûr d'aller au Royaume-Uni ?", None),
    ("ar", "هل يمكن لأطفالي المجيء أيضا؟", "children_family"),
    ("ar", "كم من الوقت يستغرق ذلك؟", "how_long"),
    ("ar", "هل يكلف مالا؟", "cost"),
    ("ar", "كيف أقدم طلب لجوء؟", "how_to_apply"),
    ("ar", "ما هي الشروط؟", "who_can_apply"),
    ("ar", "هل هذا احتيال؟", "risks"),
    ("ar", "هل هناك طريقة آمنة للوصول إلى بريطانيا؟", None),
]


@pytest.mark.parametrize(("lang", "text", "kind"), KINDS)
def test_question_kind(lang: str, text: str, kind: str | None) -> None:
    assert ra.understand(text, lang).kind == kind


ROUTES = [
    ("en", "my husband is a refugee in Britain, can I join him?", "uk_refugee_family_reunion"),
    ("en", "i am ukrainian and in the uk, can i extend my visa", "uk_ukraine_permission_extension"),
    ("en", "is the homes for ukraine scheme still open", "uk_homes_for_ukraine"),
    ("en", "unaccompanied child asylum uk", "uk_children_alone"),
    ("en", "free legal advice in france", "fr_claim_asylum"),  # France named: UK routes left out
    ("en", "sent back to france under the pilot", "uk_france_transfer_scheme"),
    ("en", "is there a safe way to reach the UK?", None),
    ("fr", "mon mari est réfugié en Grande-Bretagne, est-ce que je peux le rejoindre ?",
     "uk_refugee_family_reunion"),
    ("fr", "je suis afghan, y a-t-il une voie légale vers le royaume-uni", "uk_acrs"),
    ("fr", "où dormir pendant ma demande d'asile, un hébergement ?", "fr_claim_asylum"),
    ("ar", "زوجي لاجئ في بريطانيا، هل يمكنني اللحاق به؟", "uk_refugee_family_reunion"),
    ("ar", "انا من هونغ كونغ ولدي جواز bno هل يمكنني الذهاب الى بريطانيا", "uk_bno_visa"),
    ("ar", "هل عبور البحر بالقارب خطير؟", "dangers_irregular_crossings"),
]


@pytest.mark.parametrize(("lang", "text", "route_id"), ROUTES)
def test_route(lang: str, text: str, route_id: str | None) -> None:
    assert ra.understand(text, lang).route_id == route_id


def test_only_the_users_language_and_english_are_read() -> None:
    # "sa" means "how much" in Albanian (a draft table) but "his/her" in French.
    assert ra.understand("sa famille", "fr").kind == "children_family"
    assert ra.understand("sa kushton", "sq").kind == "cost"
    assert ra.understand("sa kushton", "fr").kind is None


# ---- answers ----


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "is there a safe way to reach the UK?"),
     ("ar", "هل هناك طريقة آمنة للوصول إلى بريطانيا؟"),
     ("fr", "est-ce qu'il existe un moyen sûr d'aller au Royaume-Uni ?")],
)
def test_safe_way_gets_the_overview_with_the_finder_and_routes(lang: str, text: str) -> None:
    reply = ra.reply_to("safe_routes", text, lang)
    assert reply.route_id is None and not reply.start_finder
    assert reply.payload["parts"][0] == {"msg": "safe_routes_overview"}
    assert reply.payload["buttons"][0] == "finder"
    assert "route:uk_refugee_family_reunion" in reply.payload["buttons"]
    assert_renders(reply.payload)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "my husband is a refugee in Britain, can I join him?"),
     ("ar", "زوجي لاجئ في بريطانيا، هل يمكنني اللحاق به؟"),
     ("fr", "mon mari est réfugié en Grande-Bretagne, est-ce que je peux le rejoindre ?")],
)
def test_husband_refugee_gets_family_reunion_with_its_status_source_and_date(
    lang: str, text: str, content: RoutesContent
) -> None:
    reply = ra.reply_to("safe_routes", text, lang)
    entry = content.entry("uk_refugee_family_reunion")
    assert reply.route_id == entry.id
    names = list(messages_in(reply.payload))
    assert "route_status_uncertain" in names and "route_not_legal_advice" in names
    assert entry.status_note in texts_in(reply.payload)  # the September 2025 pause
    assert ra.checked_part(entry) in reply.payload["parts"]
    text_en = Renderer().reply("en", reply.payload).text
    assert "https://www.gov.uk/settlement-refugee-or-humanitarian-protection/family-reunion" in text_en
    assert "checked on Nov 22, 2026" in text_en
    assert_renders(reply.payload)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "how do I claim asylum?"), ("ar", "كيف أقدم طلب لجوء؟"), ("fr", "comment demander l'asile ?")],
)
def test_claim_asylum_asks_which_country_and_keeps_the_question(lang: str, text: str) -> None:
    reply = ra.reply_to("claim_asylum", text, lang)
    assert reply.payload["parts"] == [{"msg": "claim_asylum_overview"}, {"msg": "route_which_country"}]
    buttons = reply.payload["buttons"]
    assert buttons[:2] == ["route:uk_claim_asylum:how_to_apply", "route:fr_claim_asylum:how_to_apply"]
    assert "find_help" in buttons  # after claim_asylum, help near me looks for asylum advice
    assert_renders(reply.payload)


def test_claim_asylum_in_a_named_country_answers_at_once(content: RoutesContent) -> None:
    reply = ra.reply_to("claim_asylum", "how do i ask for asylum in france", "en")
    assert reply.route_id == "fr_claim_asylum"
    assert content.entry("fr_claim_asylum").answers["how_to_apply"] in texts_in(reply.payload)


@pytest.mark.parametrize(
    ("intent", "text", "kind"),
    [("nlu_fallback", "can my children come too?", "children_family"),
     ("out_of_scope", "how long does it take?", "how_long"),
     ("nlu_fallback", "does it cost money?", "cost")],
)
def test_follow_up_continues_the_route_discussed(
    intent: str, text: str, kind: str, content: RoutesContent
) -> None:
    reply = ra.reply_to(intent, text, "en", last_route="uk_refugee_family_reunion")
    entry = content.entry("uk_refugee_family_reunion")
    assert reply.route_id == entry.id
    assert entry.answers[kind] in texts_in(reply.payload)
    assert {"msg": f"btn_kind_{kind}"} in [p["args"]["topic"] for p in reply.payload["parts"] if "args" in p
                                              and "topic" in p["args"]]
    assert f"ask:{entry.id}:{kind}" not in reply.payload["buttons"]
    assert_renders(reply.payload)


def test_asylum_follow_up_does_not_continue_an_unrelated_route() -> None:
    reply = ra.reply_to("claim_asylum", "how long does it take?", "en", last_route="uk_bno_visa")
    assert reply.route_id is None
    assert "route:uk_claim_asylum:how_long" in reply.payload["buttons"]
    reply = ra.reply_to("claim_asylum", "how long does it take?", "en", last_route="fr_claim_asylum")
    assert reply.route_id == "fr_claim_asylum"


def test_kind_without_a_route_gets_the_general_answer(content: RoutesContent) -> None:
    reply = ra.reply_to("nlu_fallback", "does it cost money?", "en")
    assert content.general_answers["cost"] in texts_in(reply.payload)
    assert "finder" in reply.payload["buttons"] and "route:uk_bno_visa:cost" in reply.payload["buttons"]


def test_legal_aid_without_a_country_gets_the_overview_and_help_nearby() -> None:
    reply = ra.reply_to("legal_aid", "I need a lawyer", "en")
    assert reply.payload["msg"] == "legal_aid_overview"
    assert reply.payload["buttons"][0] == "find_help"
    reply = ra.reply_to("legal_aid", "how much does a lawyer cost", "en")
    assert reply.payload["msg"] == "legal_aid_overview"


HONEST = [
    ("safe_routes", "how do i get british citizenship", "en", None),
    ("safe_routes", "هل يمكنني الحصول على الجنسية البريطانية؟", "ar", None),
    ("safe_routes", "est-ce que je peux avoir la nationalité britannique", "fr", None),
    ("nlu_fallback", "can i open a bank account", "en", "uk_bno_visa"),
    ("nlu_fallback", "will my kids go to school", "en", "uk_bno_visa"),  # school wins over kids
    ("nlu_fallback", "blah blah", "en", "uk_bno_visa"),
]


@pytest.mark.parametrize(("intent", "text", "lang", "last"), HONEST)
def test_what_the_content_does_not_cover_gets_the_honest_answer_and_legal_help(
    intent: str, text: str, lang: str, last: str | None
) -> None:
    reply = ra.reply_to(intent, text, lang, last_route=last)
    assert reply.payload["parts"] == [{"msg": "route_no_reliable_info"}, {"msg": "route_legal_handover"}]
    assert "legal_aid" in reply.payload["buttons"]
    assert reply.route_id == last  # the route discussed is kept for the next question
    assert "I do not have reliable information on that" in Renderer().reply("en", reply.payload).text
    assert_renders(reply.payload)


def test_a_route_without_an_answer_to_that_kind_is_honest_too(content: RoutesContent) -> None:
    entry = next(e for e in content.entries if set(QUESTION_KINDS) - set(e.answers))
    kind = next(k for k in QUESTION_KINDS if k not in entry.answers)
    payload = ra.kind_answer_payload(entry, kind, "safe_routes")
    assert {"msg": "route_no_reliable_info"} in payload["parts"]
    assert f"route:{entry.id}" in payload["buttons"] and "legal_aid" in payload["buttons"]


def test_out_of_scope_follow_up_is_the_usual_out_of_scope_answer() -> None:
    reply = ra.reply_to("out_of_scope", "what is the weather tomorrow", "en", last_route="uk_bno_visa")
    domain = yaml.safe_load((REPO_ROOT / "domain" / "core.yml").read_text())
    assert reply.payload == domain["responses"]["utter_out_of_scope"][0]["custom"]


def test_handover_buttons_lead_to_legal_help_nearby() -> None:
    assert ra.handover_buttons("legal_aid") == ["find_help"]
    assert ra.handover_buttons("claim_asylum") == ["find_help", "legal_aid"]
    assert ra.handover_buttons("safe_routes") == ra.handover_buttons("nlu_fallback") == ["legal_aid"]


def test_buttons_name_the_route_and_kind_and_send_the_routes_intent() -> None:
    action = button_action("route:uk_claim_asylum:how_long")
    assert action.label == "msg:btn_route_uk_claim_asylum"
    intent, _, entities = action.rasa_payload[1:].partition("{")
    assert intent == "claim_asylum"
    assert json.loads("{" + entities) == {"route_id": "uk_claim_asylum", "question_kind": "how_long"}
    assert button_action("ask:uk_legal_aid_asylum:cost").rasa_payload.startswith("/legal_aid{")
    assert button_action("ask:uk_bno_visa:cost").label == "msg:btn_kind_cost"


@pytest.mark.parametrize(
    "key",
    ["route:nope", "route:uk_bno_visa:price", "ask:uk_bno_visa", "finder:", "finder:location:mars",
     "finder:family_in_uk:maybe", "finder:age:yes", "route:" + "x" * 70, "/restart", "finder:start"],
)
def test_other_keys_are_not_on_the_allowlist(key: str) -> None:
    assert button_action(key) is None


def test_every_route_has_a_button_label(content: RoutesContent) -> None:
    for entry in content.entries:
        assert f"btn_route_{entry.id}" in MESSAGES, entry.id
        assert button_action(f"route:{entry.id}") is not None


def test_every_route_and_every_kind_renders_with_source_and_date(content: RoutesContent) -> None:
    for entry in content.entries:
        payloads = [ra.route_card_payload(entry, "safe_routes")]
        payloads += [ra.kind_answer_payload(entry, kind, "safe_routes") for kind in entry.answers]
        for payload in payloads:
            assert ra.checked_part(entry) in payload["parts"], entry.id
            assert_renders(payload)
        card = Renderer().reply("en", payloads[0]).text
        assert entry.sources[0] in card and "checked on" in card and entry.name in card


def test_closed_paused_and_uncertain_routes_say_so_in_every_answer(content: RoutesContent) -> None:
    for entry in content.entries:
        if entry.status in ra.STATUS_SHOWN:
            for kind in entry.answers:
                payload = ra.kind_answer_payload(entry, kind, "safe_routes")
                assert payload["parts"][1] == {"msg": f"route_status_{entry.status}"}, (entry.id, kind)


def test_risks_answers_list_the_warnings(content: RoutesContent) -> None:
    entry = content.entry("uk_seasonal_worker")
    payload = ra.kind_answer_payload(entry, "risks", "safe_routes")
    assert set(entry.watch_out) <= set(texts_in(payload))


def test_every_sentence_is_a_message_and_every_data_text_is_content(content: RoutesContent) -> None:
    payloads = [ra.reply_to(i, t, lang, last).payload for i, t, lang, last in HONEST]
    payloads += [ra.reply_to("safe_routes", t, lang).payload for lang, t, _ in ROUTES]
    payloads += [ra.finder_question_payload(q) for q in FINDER_INPUTS]
    payloads.append(ra.finder_result_payload({}))
    known_texts = {text for file, doc in _content_docs() for _, text in _user_texts(doc)}
    for payload in payloads:
        assert set(messages_in(payload)) <= set(MESSAGES)
        assert set(texts_in(payload)) <= known_texts


def _content_docs() -> list[tuple[Path, Any]]:
    from bot.routes import read_documents

    return read_documents()


def _user_texts(doc: Any) -> Iterator[tuple[str, str]]:
    from bot.routes import iter_user_texts

    return iter_user_texts(doc)


def test_the_finder_starts_from_its_button_or_when_asked() -> None:
    button = {"finder_answer": "start"}
    assert ra.reply_to("safe_routes", "/safe_routes{...}", "en", entities=button).start_finder
    for lang, text in [("en", "which safe route to the uk fits me"),
                       ("fr", "quelle route vers le royaume-uni me correspond"),
                       ("ar", "أي طريق قانوني إلى بريطانيا يناسبني"),
                       ("en", "which route is right for me")]:
        reply = ra.reply_to("safe_routes", text, lang)
        assert reply.start_finder and reply.payload is None, text
    assert ra.reply_to("nlu_fallback", "which route is right for me", "en").start_finder
    assert not ra.reply_to("claim_asylum", "which route is right for me", "en").start_finder
    # A route named in the same message is answered instead.
    assert ra.reply_to("safe_routes", "is family reunion right for me", "en").route_id == (
        "uk_refugee_family_reunion")


# ---- the finder ----

FINDER_STEPS = [
    # question, text, intent, entities, lang, outcome, value
    ("location", "", "safe_routes", {"finder_answer": "location:uk"}, "en", "answer", "uk"),
    ("location", "", "safe_routes", {"finder_answer": "skip"}, "en", "answer", "skipped"),
    ("location", "", "safe_routes", {"finder_answer": "done"}, "en", "done", None),
    ("nationality", "", "safe_routes", {"finder_answer": "location:uk"}, "en", "again", None),  # old button
    ("location", "", "safe_routes", {"finder_answer": "start"}, "en", "again", None),
    ("location", "UK", "safe_routes", {}, "en", "answer", "uk"),
    ("location", "I am in Calais", "find_help", {}, "en", "answer", "france"),
    ("location", "je suis en France", "safe_routes", {}, "fr", "answer", "france"),
    ("location", "أنا في فرنسا", "safe_routes", {}, "ar", "answer", "france"),
    ("location", "somewhere else", "nlu_fallback", {}, "en", "answer", "elsewhere"),
    ("location", "Narnia", "nlu_fallback", {}, "en", "again", None),  # a place is never guessed
    ("nationality", "I am Syrian", "emergency", {}, "en", "answer", "syria"),  # short: the model errs
    ("nationality", "سوري", "change_language", {}, "ar", "answer", "syria"),
    ("nationality", "je suis érythréenne", "nlu_fallback", {}, "fr", "answer", "eritrea"),
    ("nationality", "BN(O)", "nlu_fallback", {}, "en", "answer", "hong_kong"),
    ("nationality", "iraqi", "nlu_fallback", {}, "en", "answer", "other"),
    ("family_in_uk", "no", "emergency", {}, "en", "answer", "no"),  # the model reads "no" as danger
    ("family_in_uk", "Yes", "out_of_scope", {}, "en", "answer", "yes"),
    ("family_in_uk", "نعم", "emergency", {}, "ar", "answer", "yes"),
    ("under_18_alone", "non", "nlu_fallback", {}, "fr", "answer", "no"),
    ("under_18_alone", "skip", "change_language", {}, "en", "answer", "skipped"),
    ("under_18_alone", "je ne sais pas", "nlu_fallback", {}, "fr", "answer", "skipped"),
    ("under_18_alone", "لا أعرف", "nlu_fallback", {}, "ar", "answer", "skipped"),
    ("under_18_alone", "maybe later", "nlu_fallback", {}, "en", "again", None),
    ("family_in_uk", "no they took my passport, help", "emergency", {}, "en", "not_an_answer", None),
    ("location", "I am in Calais and they beat me", "emergency", {}, "en", "not_an_answer", None),
    ("location", "I need a lawyer", "legal_aid", {}, "en", "not_an_answer", None),
    ("location", "/menu", "menu", {}, "en", "not_an_answer", None),
    ("location", "tell me about homes for ukraine", "safe_routes", {}, "en", "not_an_answer", None),
    ("location", "which route fits me", "safe_routes", {}, "en", "again", None),
]


@pytest.mark.parametrize(("question", "text", "intent", "entities", "lang", "outcome", "value"), FINDER_STEPS)
def test_finder_answers(question: str, text: str, intent: str, entities: dict[str, str], lang: str,
                        outcome: str, value: str | None) -> None:
    step = ra.finder_step(question, text, intent, entities, lang)
    assert (step.outcome, step.value) == (outcome, value)


def test_unclear_answers_say_what_is_expected() -> None:
    assert ra.finder_step("family_in_uk", "perhaps", "nlu_fallback", {}, "en").hint == "finder_hint_yes_no"
    assert ra.finder_step("location", "Narnia", "nlu_fallback", {}, "en").hint == "finder_hint_choose"
    assert ra.finder_step("location", "", "safe_routes", {"finder_answer": "start"}, "en").hint is None


def test_show_routes_now_skips_the_rest() -> None:
    assert ra.finder_done({"location": "uk"}) == {
        "location": "uk", "nationality": "skipped", "family_in_uk": "skipped", "under_18_alone": "skipped"}


@pytest.mark.parametrize("question", FINDER_INPUTS)
def test_each_question_has_buttons_for_every_answer_skip_and_done(
    question: str, content: RoutesContent
) -> None:
    payload = ra.finder_question_payload(question)
    values = ["yes", "no"] if question in ra.YES_NO_INPUTS else list(content.inputs[question].options)
    assert payload["buttons"] == [f"finder:{question}:{v}" for v in values] + ["finder:skip", "finder:done"]
    assert {"t": content.inputs[question].prompt} in list(_args(payload))
    assert_renders(payload)


def _args(payload: dict[str, Any]) -> Iterator[Any]:
    for part in payload["parts"]:
        yield from (part.get("args") or {}).values()


def test_the_nationality_buttons_are_the_ones_asked_for() -> None:
    buttons = Renderer().reply("en", ra.finder_question_payload("nationality")).buttons
    labels = [button.label for button in buttons[:8]]
    assert labels == ["Afghan", "Ukrainian", "Hong Kong (BN(O))", "Sudanese", "Eritrean", "Syrian", "Iranian",
                      "Another nationality"]


def test_the_first_question_says_answers_are_optional_and_not_kept() -> None:
    text = Renderer().reply("en", ra.finder_question_payload("location")).text
    assert "skip any of them" in text and "not kept after this conversation" in text
    assert "finder_intro" not in messages_in(ra.finder_question_payload("nationality"))


def test_result_with_everything_skipped(content: RoutesContent) -> None:
    answers = dict.fromkeys(FINDER_INPUTS, "skipped")
    payload = ra.finder_result_payload(answers)
    expected = ra.finder_routes(answers)[: ra.MAX_FINDER_ROUTES]
    assert [b for b in payload["buttons"] if b.startswith("route:")] == [f"route:{r}" for r, _ in expected]
    assert payload["buttons"][-3:] == ["routes", "legal_aid", "menu"]
    for route_id, reasons in expected:
        assert content.entry(route_id).name in texts_in(payload)
        assert {content.reasons[r] for r in reasons} <= set(texts_in(payload))
    text = Renderer().reply("en", payload).text
    assert "not legal advice" in text
    assert_renders(payload)


@pytest.mark.parametrize(
    ("answers", "first", "no_scheme"),
    [({"location": "uk", "nationality": "ukraine", "family_in_uk": "no", "under_18_alone": "no"},
      "uk_ukraine_permission_extension", False),
     ({"location": "elsewhere", "nationality": "hong_kong"}, "uk_bno_visa", False),
     ({"family_in_uk": "yes"}, "uk_refugee_family_reunion", False),
     ({"location": "uk", "under_18_alone": "yes"}, "uk_children_alone", False),
     ({"location": "france", "nationality": "sudan", "family_in_uk": "no", "under_18_alone": "no"},
      "fr_claim_asylum", True),
     ({"nationality": "other"}, "uk_refugee_family_reunion", True)],
)
def test_result_for_answers(answers: dict[str, str], first: str, no_scheme: bool) -> None:
    payload = ra.finder_result_payload(answers)
    assert payload["buttons"][0] == f"route:{first}"
    assert ("finder_no_nationality_scheme" in messages_in(payload)) is no_scheme
    assert_renders(payload)


def test_result_shows_the_status_of_routes_that_may_not_be_open() -> None:
    payload = ra.finder_result_payload({"family_in_uk": "yes"})
    assert "route_status_uncertain" in messages_in(payload)  # family reunion: paused in 2025


def test_the_form_reads_an_answer_only_right_after_the_users_message() -> None:
    user = {"event": "user", "text": "no"}
    listen = {"event": "action", "name": "action_listen"}
    form = {"event": "action", "name": "route_finder"}
    requested = {"event": "slot", "name": "requested_slot", "value": "finder_location"}
    assert ra.answers_latest_message([listen, user, requested, form])
    rejected = {"event": "action_execution_rejected", "name": "route_finder"}
    emergency = {"event": "action", "name": "action_emergency"}
    assert not ra.answers_latest_message([listen, user, rejected, emergency, requested, form])
    started = {"event": "action", "name": "action_safe_routes"}
    assert not ra.answers_latest_message([listen, user, started, requested, form])


# ---- the test conversations agree with these functions ----


def _story_language(name: str) -> str:
    return name.split(" - ", 1)[0]


def _steps() -> list[dict[str, Any]]:
    return yaml.safe_load(STORIES.read_text(encoding="utf-8"))["stories"]


def _user_message(step: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    entities = {k: v for e in step.get("entities") or [] for k, v in e.items()}
    text = (step.get("user") or "").strip() or f"/{step['intent']}{json.dumps(entities)}"
    return step["intent"], text, entities


def replay(story: dict[str, Any]) -> dict[str, set[str]]:
    """Replay one test conversation through the functions the actions call; every slot event
    the story lists after a routes or finder action must be what the action would set."""
    lang = _story_language(story["story"])
    steps = story["steps"]
    last_route: str | None = None
    answers: dict[str, str] = {}
    requested: str | None = None
    shown: list[str] = []
    reached = {"free_text": set(), "finder": set()}
    for i, step in enumerate(steps):
        if "intent" not in step:
            continue
        intent, text, entities = _user_message(step)
        action = steps[i + 1]["action"]
        after = [s["slot_was_set"] for s in steps[i + 2:i + 4] if "slot_was_set" in s]
        slots = {k: v for group in after for item in group for k, v in item.items()}
        if requested is not None:  # the finder is asking
            step_ = ra.finder_step(requested, text, intent, entities, lang)
            if action != "route_finder":
                assert step_.outcome == "not_an_answer", (story["story"], text)
                continue
            assert step_.outcome in ("answer", "done"), (story["story"], text, step_)
            new = {requested: step_.value} if step_.outcome == "answer" else {
                k: v for k, v in ra.finder_done(answers).items() if answers.get(k) != v}
            assert {ra.FINDER_SLOTS[k]: v for k, v in new.items()} == {
                k: v for k, v in slots.items() if k != "requested_slot"}, (story["story"], text)
            answers.update(new)
            requested = next((q for q in FINDER_INPUTS if q not in answers), None)
            if requested is None:
                shown = [r for r, _ in ra.finder_routes(answers)[: ra.MAX_FINDER_ROUTES]]
                answers, last_route = {}, None
            continue
        if action not in ROUTE_ACTIONS:
            continue
        reply = ra.reply_to(intent, text, lang, last_route, entities)
        assert "route_last" in slots, (story["story"], text)
        assert slots["route_last"] == reply.route_id, (story["story"], text)
        started = i + 3 < len(steps) and steps[i + 3] == {"active_loop": "route_finder"}
        assert started is reply.start_finder, (story["story"], text)
        if reply.start_finder:
            requested = FINDER_INPUTS[0]
        if reply.route_id and "route_id" in entities and reply.route_id in shown:
            reached["finder"].add(reply.route_id)
        elif reply.route_id and not entities and ra.understand(text, lang).route_id == reply.route_id:
            reached["free_text"].add(reply.route_id)  # named in the words, not a follow-up
        last_route = reply.route_id
    return reached


@pytest.mark.parametrize("story", _steps(), ids=lambda s: s["story"])
def test_each_test_conversation_is_what_the_actions_do(story: dict[str, Any]) -> None:
    replay(story)


def test_every_route_is_reached_by_free_text_and_by_the_finder(content: RoutesContent) -> None:
    reached: dict[str, set[str]] = {"free_text": set(), "finder": set()}
    for story in _steps():
        for how, ids in replay(story).items():
            reached[how] |= ids
    assert reached["free_text"] == set(route_ids(content))
    assert reached["finder"] == set(route_ids(content))


def test_the_required_questions_are_asked_in_english_arabic_and_french() -> None:
    asked = {(_story_language(s["story"]), (step.get("user") or "").strip())
             for s in _steps() for step in s["steps"]}
    for lang, text in [
        ("en", "is there a safe way to reach the UK?"),
        ("en", "my husband is a refugee in Britain, can I join him?"),
        ("en", "how do I claim asylum?"),
        ("ar", "هل هناك طريقة آمنة للوصول إلى بريطانيا؟"),
        ("ar", "زوجي لاجئ في بريطانيا، هل يمكنني اللحاق به؟"),
        ("ar", "كيف أقدم طلب لجوء؟"),
        ("fr", "est-ce qu'il existe un moyen sûr d'aller au Royaume-Uni ?"),
        ("fr", "mon mari est réfugié en Grande-Bretagne, est-ce que je peux le rejoindre ?"),
        ("fr", "comment demander l'asile ?"),
    ]:
        assert (lang, text) in asked
