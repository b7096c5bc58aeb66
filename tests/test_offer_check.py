"""Tests of the job-offer red-flag checker (bot/offer_check.py) and its rules in data/offer_rules/."""

from __future__ import annotations

import io
import json
import pathlib
import random
import shutil
import subprocess
import sys

import pytest
import yaml

from bot.offer_check import (
    OfferResult,
    OfferRules,
    check_offer,
    check_situation,
    load_offer_rules,
    main_check_offer,
    main_offer_bench,
    main_offer_report,
)
from bot.offer_report import (
    BENCH_LENGTH,
    CorpusOffer,
    bench,
    bench_offers,
    default_corpus_path,
    evaluate,
    load_corpus,
)
from bot.offer_rules import default_rules_path

LANGUAGES = ("en", "ar", "fa", "ps", "ti", "ckb", "fr", "uk", "ru", "vi", "sq", "so")
REPO = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def rules() -> OfferRules:
    """Load the rules once for the module."""
    return load_offer_rules()


@pytest.fixture(scope="module")
def corpus() -> list[CorpusOffer]:
    """Load the labelled corpus once for the module."""
    return load_corpus()


def flag(result: OfferResult, flag_id: str) -> list[str]:
    """Return the quoted words of one flag (failing the test when the flag is missing)."""
    found = [f for f in result.flags if f.id == flag_id]
    assert found, f"{flag_id} not raised; flags: {result.flag_ids()}"
    return [e.text for e in found[0].evidence]


def assert_evidence_exact(text: str, result: OfferResult) -> None:
    """Every flag has evidence, and every piece of evidence is the input at its offsets."""
    for item in result.flags:
        assert item.evidence, f"{item.id} has no evidence"
        assert item.explanation and item.advice
        for evidence in item.evidence:
            assert 0 <= evidence.start < evidence.end <= len(text)
            assert text[evidence.start : evidence.end] == evidence.text
            assert evidence.text.strip()


# ---------------------------------------------------------------- rules and corpus


def test_rules_cover_every_language_and_signal(rules: OfferRules) -> None:
    assert set(LANGUAGES) <= set(rules.languages)
    research_ids = {
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "D1",
        "D2",
        "D3",
        "J1",
        "J2",
        "J3",
        "J4",
        "J5",
        "J6",
        "J7",
        "C1",
        "C2",
        "C3",
        "M1",
        "M2",
        "M3",
        "P1",
        "S1",
        "S2",
        "S3",
    }
    assert research_ids <= set(rules.signals)
    for signal in rules.signals.values():
        assert signal.severity in ("low", "medium", "high", "critical")
        assert signal.sources, signal.id
        assert len(signal.explanation) > 40 and len(signal.advice) > 20, signal.id
    assert {i.id for i in rules.indicators.values() if i.urgent} == {"I3", "I5", "I6", "I7"}


def test_phrase_files_are_marked_unreviewed() -> None:
    for path in (default_rules_path() / "phrases").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["reviewed"] is False, path.name


def test_wage_table_says_where_figures_come_from() -> None:
    data = yaml.safe_load((default_rules_path() / "wages.yml").read_text(encoding="utf-8"))
    assert "not fetched" in data["checked"]
    assert data["countries"]["GB"]["amount"] == 12.21
    assert data["countries"]["FR"]["amount"] == 11.88
    for code, entry in data["countries"].items():
        assert entry["source"] and entry["from"] and entry["currency"] in data["fx_usd"], code


def test_rules_load_from_another_folder(tmp_path: pathlib.Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(default_rules_path(), copy)
    english = copy / "phrases" / "en.yml"
    english.write_text(
        english.read_text(encoding="utf-8").replace("  J6: [", "  J6: [hurry up now, "), "utf-8"
    )
    custom = load_offer_rules(copy)
    assert "J6" in check_offer("Only today: hurry up now!", custom).flag_ids()
    english.write_text(english.read_text(encoding="utf-8").replace("  J6: [", "  J6: [yes, "), "utf-8")
    with pytest.raises(ValueError, match="en.yml.*quote it"):
        load_offer_rules(copy)


def test_corpus_shape(corpus: list[CorpusOffer]) -> None:
    assert len(corpus) >= 150
    assert len({o.id for o in corpus}) == len(corpus)
    languages = {o.lang for o in corpus}
    assert {"en", "fr", "ar", "vi", "fa"} <= languages and {"uk", "ru"} & languages
    legit = sum(o.label == "legit" for o in corpus)
    assert 0.4 <= legit / len(corpus) <= 0.6
    texts = " ".join(o.text for o in corpus if o.label == "legit").lower()
    for hard_negative in (
        "seasonal worker",
        "skilled worker visa",
        "hospital",
        "warehouse",
        "care home",
        "employer pays",
    ):
        assert hard_negative in texts, hard_negative


def test_evidence_is_exact_over_the_whole_corpus(rules: OfferRules, corpus: list[CorpusOffer]) -> None:
    for offer in corpus:
        assert_evidence_exact(offer.text, check_offer(offer.text, rules))


def test_language_is_detected_over_the_corpus(rules: OfferRules, corpus: list[CorpusOffer]) -> None:
    wrong = [o.id for o in corpus if check_offer(o.text, rules).lang != o.lang]
    assert not wrong


def test_evaluation_targets_hold(rules: OfferRules, corpus: list[CorpusOffer]) -> None:
    scores = evaluate(corpus, rules, check_offer)
    for score in scores:
        assert score.recall >= 0.95, (score.lang, score.misses)
        assert score.false_high <= 0.05, (score.lang, score.misses)


def test_expected_critical_flags_are_found(rules: OfferRules, corpus: list[CorpusOffer]) -> None:
    for offer in corpus:
        if offer.label == "scam" and offer.critical:
            critical = {f.id for f in check_offer(offer.text, rules).flags if f.severity == "critical"}
            assert set(offer.critical) <= critical, (offer.id, critical)


# ---------------------------------------------------------------- the "done when" examples


@pytest.mark.parametrize(
    ("text", "flag_id", "quoted"),
    [
        (
            "Typing job in Myawaddy, flights and dormitory free! Salary $1,500 a month, no experience.",
            "M3",
            "Myawaddy",
        ),
        ("Models wanted abroad, send swimsuit photos to our WhatsApp to be selected.", "S1", "swimsuit"),
        (
            "You are selected for the warehouse job in Poland. Please transfer the work-permit "
            "deposit first, 200 EUR, refunded later.",
            "F1",
            "work-permit deposit",
        ),
        (
            "Emploi au Canada, visa garanti. Frais de dossier de 300 euros à payer avant l'entretien.",
            "F1",
            "Frais de dossier",
        ),
        ("وظائف في بولندا براتب 1200 يورو. رسوم التسجيل 150 دولار تدفع مقدما.", "F1", "رسوم التسجيل"),
        (
            "Tuyển gấp nhân viên đánh máy đi Campuchia, việc nhẹ lương cao, bao vé máy bay, bao ăn ở.",
            "M3",
            "Campuchia",
        ),
    ],
)
def test_done_when_examples_are_high(rules: OfferRules, text: str, flag_id: str, quoted: str) -> None:
    result = check_offer(text, rules)
    assert result.risk == "high"
    assert quoted in flag(result, flag_id)
    assert_evidence_exact(text, result)


def test_escalations_quote_their_words(rules: OfferRules) -> None:
    result = check_offer("Typing job in Myawaddy, flights and dormitory free.", rules)
    m3 = next(f for f in result.flags if f.id == "M3")
    assert m3.severity == "critical"
    assert {"Typing", "Myawaddy"} <= {e.text for e in m3.evidence}


@pytest.mark.parametrize(
    "offer_id", ["en-l01", "en-l02", "en-l21", "fr-l02", "fr-l05", "vi-l01", "vi-l02", "ar-l01", "ar-l02"]
)
def test_hospital_and_supermarket_vacancies_are_low(
    rules: OfferRules, corpus: list[CorpusOffer], offer_id: str
) -> None:
    offer = next(o for o in corpus if o.id == offer_id)
    assert check_offer(offer.text, rules).risk == "low"


def test_hard_negatives_are_not_high(rules: OfferRules) -> None:
    texts = [
        "Healthcare Assistant, NHS hospital in Leeds. £24,071 per annum. Sponsorship available. "
        "We never charge any fees to candidates. Apply on NHS Jobs.",
        "Seasonal Worker visa: strawberry picking in Herefordshire. Licensed scheme operator, GLAA "
        "licence. No recruitment fees. Caravan accommodation £60 per week deducted from wages. "
        "Apply on our website.",
        "Supermarket assistant, 20 hours a week, £12.60 per hour. No experience needed. Apply in store.",
        "The employer pays all costs: visa, flights, medical and agency fees. Contract in your language "
        "before departure. You keep your passport.",
    ]
    for text in texts:
        assert check_offer(text, rules).risk != "high", text


# ---------------------------------------------------------------- signals read from numbers and links


def test_pay_far_above_minimum_is_flagged_with_the_amount(rules: OfferRules) -> None:
    text = "Data entry from home, no experience needed, earn $300 per day."
    result = check_offer(text, rules)
    assert "$300" in flag(result, "J1")
    assert "minimum wage" in next(f for f in result.flags if f.id == "J1").detail
    ordinary = "Warehouse operative in Coventry, no experience needed, £12.80 per hour."
    assert "J1" not in check_offer(ordinary, rules).flag_ids()


def test_age_ranges(rules: OfferRules) -> None:
    assert "18-25" in flag(check_offer("Hostesses wanted in Dubai, age 18-25.", rules), "S1")
    minors = check_offer("Farm work abroad, flight ticket paid, age 16-30 accepted.", rules)
    assert "16-30" in flag(minors, "S3")
    assert next(f for f in minors.flags if f.id == "S3").severity == "critical"


@pytest.mark.parametrize(
    ("text", "flag_id", "quoted"),
    [
        ("Apply here: bit.ly/3xJobUK", "U1", "bit.ly/3xJobUK"),
        ("Register at https://hiring-jobs.wixsite.com/uk", "U2", "https://hiring-jobs.wixsite.com/uk"),
        ("Amazon is hiring, apply at amaz0n-careers-uk.com today", "U3", "amaz0n-careers-uk.com"),
        ("Tesco jobs, write to tesco.recruitment.team@gmail.com", "J4", "tesco.recruitment.team@gmail.com"),
        ("Contact our HR at jobs.hr.office@hotmail.com", "C2", "jobs.hr.office@hotmail.com"),
    ],
)
def test_links_are_judged_by_their_text(rules: OfferRules, text: str, flag_id: str, quoted: str) -> None:
    assert quoted in flag(check_offer(text, rules), flag_id)


def test_official_addresses_are_not_flagged(rules: OfferRules) -> None:
    result = check_offer("Amazon warehouse jobs: apply at amazon.jobs or www.amazon.co.uk/jobs", rules)
    assert not {"U1", "U2", "U3", "J4"} & set(result.flag_ids())


def test_negation_cancels_a_fee(rules: OfferRules) -> None:
    assert "F1" not in check_offer("No registration, processing or training fees.", rules).flag_ids()
    assert "F1" not in check_offer("We pay your visa application fee.", rules).flag_ids()
    assert "F1" in check_offer("No fees, just a small refundable deposit of $200.", rules).flag_ids()
    assert "F1" in check_offer("No experience needed, pay the registration fee of $100.", rules).flag_ids()


# ---------------------------------------------------------------- "I'm already there"


@pytest.mark.parametrize(
    ("text", "lang", "indicator", "quoted"),
    [
        ("My boss took my passport and they lock us in at night.", "en", "I7", "took my passport"),
        ("They lock us in at night and watch us.", "en", "I3", "lock us in"),
        ("Le patron a gardé mon passeport, on nous enferme la nuit.", "fr", "I7", "gardé mon passeport"),
        ("أخذوا جوازي ولا أستطيع الخروج من المزرعة", "ar", "I7", "أخذوا جوازي"),
        ("Công ty giữ hộ chiếu của tôi và không cho ra ngoài.", "vi", "I3", "không cho ra ngoài"),
        ("Бригадир забрал паспорт, не выпускают с объекта.", "ru", "I7", "забрал паспорт"),
        ("Роботодавець забрав паспорт і нас не відпускають.", "uk", "I7", "забрав паспорт"),
        ("پاسپورتم را گرفتند و اجازه خروج نمی دهند", "fa", "I7", "پاسپورتم را گرفتند"),
        ("He beats me when I ask for my money.", "en", "I5", "beats me"),
        ("They threaten to report me to immigration.", "en", "I6", "threaten"),
    ],
)
def test_situation_urgent(rules: OfferRules, text: str, lang: str, indicator: str, quoted: str) -> None:
    result = check_situation(text, rules)
    assert result.lang == lang
    assert result.urgent
    found = next(i for i in result.indicators if i.id == indicator)
    assert quoted in [e.text for e in found.evidence]
    for item in result.indicators:
        for evidence in item.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


def test_situation_not_urgent(rules: OfferRules) -> None:
    assert not check_situation("Nobody took my passport, I just want to know about visas.", rules).urgent
    hours = check_situation("I work 16 hours a day with no day off and my debt keeps growing.", rules)
    assert not hours.urgent
    assert {"I9", "I11"} <= {i.id for i in hours.indicators}
    assert check_situation("Is this job offer real?", rules).indicators == []


# ---------------------------------------------------------------- hostile input


def hostile_texts() -> list[str]:
    """Inputs that must not crash the checker."""
    rng = random.Random(7)
    alphabet = "abc ٠١٢ ابت ደሞዝ Жж ệư €$£ 12,5 .-:/@\n\u200f\u200e\u202e\u200d\u200c\ufeff😀🇬🇧👩‍👩‍👧<>&\"'"
    noise = "".join(rng.choice(alphabet) for _ in range(10_000))
    return [
        "",
        "   \n\t ",
        noise,
        "💰💰💰 " * 1500,
        "\u200f\u202eرسوم التسجيل 200$\u202c\u200e" * 300,
        "<html><script>alert('x')</script><b>Registration fee</b> $100 <a href='http://bit.ly/x'>apply</a></html>",
        "a" * 10_000,
        "1" * 10_000,
        "$" * 5000 + "1,000,000" * 100,
        "\x00\x01\x02 fee \x7f" * 100,
        "http://" + "a." * 3000 + "com",
        "x@" * 3000,
    ]


@pytest.mark.parametrize("text", hostile_texts())
def test_hostile_input_does_not_crash(rules: OfferRules, text: str) -> None:
    result = check_offer(text, rules)
    assert result.risk in ("high", "medium", "low")
    assert_evidence_exact(text, result)
    check_situation(text, rules)


# ---------------------------------------------------------------- command line


def run_cli(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: bytes = b"") -> int:
    """Run ``main_check_offer`` with ``stdin`` as standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    return main_check_offer(argv)


def test_cli_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    offer = "Typing job in Myawaddy, flights and dormitory free. Contact @hr_kevin on Telegram."
    assert run_cli(monkeypatch, [], offer.encode()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["risk"] == "high" and data["lang"] == "en"
    assert any(f["id"] == "M3" and "Myawaddy" in f["evidence"] for f in data["flags"])
    assert all(f["explanation"] for f in data["flags"])


def test_cli_reads_files(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    first = tmp_path / "a.txt"
    second = tmp_path / "b.txt"
    first.write_text("Frais de dossier : 300 euros à payer avant le départ.", encoding="utf-8")
    second.write_text("Staff nurse, NHS hospital, £29,970 per annum. Apply on NHS Jobs.", encoding="utf-8")
    assert run_cli(monkeypatch, [str(first), str(second)]) == 0
    out = capsys.readouterr().out
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["risk"] for r in results] == ["high", "low"]
    assert results[0]["lang"] == "fr"
    assert "Frais de dossier" in out  # UTF-8 text, not \\u escapes


def test_cli_rejects_unreadable_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    assert run_cli(monkeypatch, [str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert run_cli(monkeypatch, [str(binary)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert run_cli(monkeypatch, [], b"\xc3\x28") == 2
    assert "standard input" in capsys.readouterr().err


def test_report_and_bench_entry_points(capsys: pytest.CaptureFixture[str]) -> None:
    assert main_offer_report([str(default_corpus_path())]) == 0
    report = capsys.readouterr().out
    assert "total" in report and "recall" in report
    assert main_offer_bench(["20"]) == 0
    assert "p95" in capsys.readouterr().out


def test_bench_builds_offers_of_the_right_length(rules: OfferRules, corpus: list[CorpusOffer]) -> None:
    texts = bench_offers(corpus, count=5)
    assert all(len(t) == BENCH_LENGTH for t in texts)
    timing = bench(texts, rules, check_offer, runs=10)
    assert set(timing) >= {"p50", "p95", "p99"}


def test_importing_loads_nothing() -> None:
    code = "import bot.offer_check, bot.offer_text as t; " "assert t.fold_table.cache_info().currsize == 0"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
