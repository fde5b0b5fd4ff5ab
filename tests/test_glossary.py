"""The curated glossary covers the report's tables and key terms; matching, expansion and language detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.tables import extract_tables
from reportqa.errors import CorpusFormatError
from reportqa.query.lexicon.glossary import load_glossary, parse_glossary
from reportqa.query.lexicon.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "corpus" / "china-sharing-economy-report-2023.glossary.tsv"
REPORT = ROOT / "corpus" / "china-sharing-economy-report-2023.txt"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


def test_every_table_row_label_is_a_glossary_row_with_english(glossary) -> None:
    tables = extract_tables(REPORT.read_text(encoding="utf-8"))
    labels = {r.label for t in tables for r in t.rows}
    assert len(labels) >= 12
    for label in labels:
        entry = glossary.lookup(label)
        assert entry is not None and entry.kind == "row", label
        assert entry.english, label


def test_every_table_metric_is_named_by_a_glossary_metric(glossary) -> None:
    tables = extract_tables(REPORT.read_text(encoding="utf-8"))
    for metric in {c.metric for t in tables for c in t.columns}:
        kinds = {m.entry.kind for m in glossary.find(metric)}
        assert "metric" in kinds, metric


@pytest.mark.parametrize(
    ("text", "term"),
    [
        pytest.param("What was the home sharing market in 2022?", "共享住宿", id="home-sharing"),
        pytest.param("homestays", "共享住宿", id="plural-alias"),
        pytest.param("online car-hailing users", "网约车", id="car-hailing"),
        pytest.param("ride hailing penetration", "网约车", id="hyphen-or-space"),
        pytest.param("food delivery", "在线外卖", id="food-delivery"),
        pytest.param("How much funding was raised?", "直接融资", id="funding"),
        pytest.param("coworking spaces", "共享办公", id="coworking"),
        pytest.param("year-on-year growth", "同比增速", id="yoy"),
        pytest.param("percentage points", "百分点", id="percentage-points"),
        pytest.param("Yunzhanghu revenue", "云账户", id="company-yunzhanghu"),
        pytest.param("the metaverse", "元宇宙", id="metaverse"),
        pytest.param("anti-monopoly law", "反垄断", id="anti-monopoly"),
    ],
)
def test_english_aliases_name_their_chinese_term(glossary, text: str, term: str) -> None:
    assert term in [m.entry.term for m in glossary.find(text)]


def test_longest_mention_wins_over_contained_terms(glossary) -> None:
    terms = [m.entry.term for m in glossary.find("2022年网约车平台数量和网约车用户规模")]
    assert terms == ["网约车平台", "网约车", "用户规模"]


def test_internet_users_is_not_read_as_the_users_metric(glossary) -> None:
    terms = [m.entry.term for m in glossary.find("penetration rate among internet users")]
    assert terms == ["普及率", "网民"]


def test_expand_turns_an_english_question_into_chinese_search_terms(glossary) -> None:
    terms = glossary.expand("How much direct financing did shared accommodation raise in 2022?")
    assert "直接融资" in terms and "共享住宿" in terms
    assert glossary.expand("2022年共享住宿规模") == []


def test_english_name_falls_back_to_the_term(glossary) -> None:
    assert glossary.english("共享住宿") == "shared accommodation"
    assert glossary.english("不存在的词") == "不存在的词"


def test_with_entries_adds_only_unknown_terms(glossary) -> None:
    from reportqa.query.lexicon.glossary import GlossaryEntry

    bigger = glossary.with_entries([GlossaryEntry("智慧景区", (), (), "row"), GlossaryEntry("共享住宿", (), (), "row")])
    assert len(bigger.entries) == len(glossary.entries) + 1
    assert bigger.find("智慧景区")[0].entry.term == "智慧景区"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("共享住宿\tshared accommodation\n", "line 1", id="missing-kind"),
        pytest.param("共享住宿\tshared accommodation\tplace\n", "line 1", id="unknown-kind"),
        pytest.param("住宿\tlodging\trow\n住宿\thotels\trow\n", "already defined on line 1", id="duplicate"),
        pytest.param("# only a comment\n\n", "no entries", id="empty"),
    ],
)
def test_malformed_glossary_raises_with_the_line_to_fix(text: str, message: str) -> None:
    with pytest.raises(CorpusFormatError, match=message):
        parse_glossary(text)


def test_missing_glossary_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(CorpusFormatError, match="REPORTQA_GLOSSARY"):
        load_glossary(tmp_path / "nope.tsv")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        pytest.param("2022年共享住宿规模", "zh", id="zh"),
        pytest.param("How much direct financing did the sharing economy raise in 2022?", "en", id="en"),
        pytest.param("What was the 共享住宿 transaction volume in 2022?", "en", id="en-with-chinese-term"),
        pytest.param("2022年Meituan的收入", "zh", id="zh-with-english-name"),
        pytest.param("2022", "en", id="digits-only"),
    ],
)
def test_detect_language_by_cjk_share(question: str, language: str) -> None:
    assert detect_language(question) == language


def test_an_english_alias_matches_general_synonyms_of_its_words_and_shared_aliases_keep_every_entry() -> None:
    from reportqa.query.lexicon.glossary import parse_glossary

    g = parse_glossary("行业甲\tregulated enterprises\tmetric\n渠道乙\tformal-channel recovery\trow\n")
    assert [m.entry.term for m in g.find("whitelisted firms in 2023")] == ["行业甲"]
    assert [m.entry.term for m in g.find("compliant channel recovery")] == ["渠道乙"]
    two = parse_glossary("总计\ttotal\trow\n合计\ttotal|sum\trow\n")  # one alias, two entries: both are found
    assert {m.entry.term for m in two._mentions("the total")} == {"总计", "合计"}
