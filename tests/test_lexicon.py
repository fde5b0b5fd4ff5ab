"""The engine owns its vocabulary: each report's glossary lives beside it, the engine merges them once at load
(entries knowing their documents), and extraction and checking use that lexicon — never the process settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportqa import library
from reportqa.errors import IndexMismatch
from reportqa.query.lexicon.glossary import merge_glossaries, parse_glossary
from reportqa.query.lexicon.lexicon import lexicon_from
from reportqa.query.lexicon.words import general_glossary, words
from reportqa.settings import Settings

DATA = Path(__file__).resolve().parent / "data"
STEM = "synthetic-report"
# Words only this glossary knows: English names for a row and a measure of the synthetic report's 表1.
TINY_GLOSSARY = "在线演出\tlivestream concerts|online shows\trow\n消费规模\tvisitor spending\tmetric\n"


def test_merged_glossary_entries_know_their_documents() -> None:
    a = parse_glossary("规模\tsize\tmetric\n华东\teast china\trow\n")
    b = parse_glossary("交易额\tturnover|规模\tmetric\n华东\teastern region\trow\n")
    merged = merge_glossaries([("a", a), ("b", b), (None, general_glossary())])
    east = merged.get("华东")
    assert east is not None and east.docs == ("a", "b") and east.english == ("east china", "eastern region")
    assert merged.lookup("规模").term == "规模", "a form another document uses as its own term reads as that term"
    assert merged.get("同比增速") is not None and merged.get("同比增速").docs == ()


def test_each_report_keeps_its_own_reading_of_a_shared_word() -> None:
    a = parse_glossary("规模\tsize\tmetric\n")
    b = parse_glossary("交易额\tturnover|规模\tmetric\n")
    lex = lexicon_from([("a", a), ("b", b)], [])
    assert lex.glossary.for_doc("a").lookup("规模").term == "规模"
    assert lex.glossary.for_doc("b").lookup("规模").term == "交易额"
    assert lex.docs_of("交易额") == ("b",)


def test_general_words_ship_as_package_data() -> None:
    assert {"总计", "合计"} <= words("total", "zh") and "total" in words("total", "en")
    assert general_glossary().lookup("增速").term == "同比增速"


@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory: pytest.TempPathFactory) -> library.Engine:
    """An engine over a corpus folder holding one small report and its own (non-default) glossary."""
    root = tmp_path_factory.mktemp("tiny")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / f"{STEM}.txt", corpus / f"{STEM}.txt")
    (corpus / f"{STEM}.glossary.tsv").write_text(TINY_GLOSSARY, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index")
    library.build_index(settings)
    return library.load_engine(settings)


def test_engine_reads_the_glossary_beside_its_report(tiny_engine: library.Engine) -> None:
    assert [(f.doc_id, f.path.name) for f in tiny_engine.lexicon.files] == [(STEM, f"{STEM}.glossary.tsv")]
    assert tiny_engine.lexicon.docs_of("在线演出") == (STEM,)
    assert tiny_engine.lexicon.glossary.lookup("交通出行") is None, "the bundled report's glossary is not mixed in"
    assert tiny_engine.manifest.glossaries.keys() == {f"{STEM}.glossary.tsv"}


def test_engine_checks_figures_with_its_own_glossary_terms(tiny_engine: library.Engine) -> None:
    facts = library.check("In 2023, visitor spending on livestream concerts reached 9.2亿元.", tiny_engine)
    assert [(f.text, f.status) for f in facts] == [("9.2亿元", "verified")]
    assert facts[0].source["cell"].endswith("表1/在线演出/2023年")
    wrong = library.check("In 2023, visitor spending on online shows reached 9.9亿元.", tiny_engine)
    assert [f.status for f in wrong] == ["contradicted"]


def test_a_changed_glossary_is_noticed(tiny_engine: library.Engine, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(tiny_engine.settings.corpus_dir, corpus)
    index = tmp_path / "index"
    shutil.copytree(tiny_engine.settings.index_dir, index)
    (corpus / f"{STEM}.glossary.tsv").write_text(TINY_GLOSSARY + "数字博物馆\tdigital museums\trow\n", encoding="utf-8")
    with pytest.raises(IndexMismatch, match=rf"glossary changed .*{STEM}\.glossary\.tsv.*run `reportqa index`"):
        library.load_engine(Settings(corpus_dir=corpus, index_dir=index))


def test_an_alias_two_reports_share_reads_as_the_term_of_the_report_the_text_is_about() -> None:
    a = parse_glossary("合计\ttotal\trow\n电动自行车\te-bikes\tterm\n")
    b = parse_glossary("总计\ttotal\trow\n电单车\te-bikes\tterm\n美团\tMeituan\tcompany\n")
    union = merge_glossaries([("a", a), ("b", b)])
    assert [m.entry.term for m in union.find("Meituan e-bikes in total")] == ["美团", "电单车", "总计"]
    assert [m.entry.term for m in union.find("e-bikes in total")] == ["电动自行车", "合计"], "no other clue: first report"
