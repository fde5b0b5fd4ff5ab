"""The package's general words name no report: no table row of either bundled report (its label or a Chinese alias
from the report's glossary) appears in ``reportqa/query/lexicon/data``; a report's vocabulary lives beside it in
``corpus/``. (Institutions and period words the reports also use, such as 世界银行 or 过去一年, are general words.)"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from reportqa.library import Engine
from reportqa.query.lexicon.glossary import load_glossary
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.words import general_glossary

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _data_texts() -> dict[str, str]:
    folder = resources.files("reportqa.query.lexicon").joinpath("data")
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith((".json", ".tsv"))}


def _report_names(engine: Engine) -> set[str]:
    general = {f for e in general_glossary().entries for f in (e.term, *e.forms_zh)}
    names = {r.label for t in engine.tables for r in t.rows if not r.is_total}
    for path in CORPUS.glob("*.glossary.tsv"):
        for e in load_glossary(path).entries:
            if e.kind == "row":
                names |= {f for f in (e.term, *e.forms_zh) if len(f) >= 3}
    return {n for n in names if n not in general}


def test_no_report_vocabulary_in_the_package_words(engine: Engine) -> None:
    names = _report_names(engine)
    assert len(names) > 30, "the bundled reports' rows and their aliases"
    hits = {(file, n) for file, text in _data_texts().items() for n in names if n in text}
    assert not hits, sorted(hits)


@pytest.mark.parametrize(("question", "cls"), [
    pytest.param("2022年网约车用户到底有多少？", "quantity", id="zh-figure"),
    pytest.param("Why did financing fall?", "why", id="en-why"),
    pytest.param("正文和表1的数字对得上吗？", "consistency", id="zh-consistency"),
    pytest.param("美团推出了哪几个计划？", "list", id="zh-list"),
])
def test_question_classes_are_read_from_the_data(question: str, cls: str) -> None:
    assert getattr(question_words(), cls).search(question)
