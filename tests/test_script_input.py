"""Traditional-script and full-width input is answered and checked like simplified text.

The library normalises at its edges (``ask``'s question, ``check``'s text) and keeps what the user
typed in the records it returns: ``Answer.question`` as typed, ``Fact.text`` / ``Fact.span`` quoting
the user's own characters.
"""

from __future__ import annotations

import unicodedata

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from reportqa import library
from reportqa.library import Engine
from reportqa.query.lexicon.script import align, normalise_input
from reportqa.records import Document

TRADITIONAL_PARAGRAPH = ("2022年共享住宿交易額為115億元，同比下降24.3%；網約車用戶規模為40507萬人。"
                         "生活服務佔2022年交易總額的48.4%，較2021年的46.4%提高了2.0個百分點。")
SIMPLIFIED_PARAGRAPH = ("2022年共享住宿交易额为115亿元，同比下降24.3%；网约车用户规模为40507万人。"
                        "生活服务占2022年交易总额的48.4%，较2021年的46.4%提高了2.0个百分点。")


# --------------------------------------------------------------------------- the normalisation itself


def test_traditional_script_reads_as_simplified_with_the_same_offsets() -> None:
    norm = normalise_input(TRADITIONAL_PARAGRAPH)
    assert norm.text == SIMPLIFIED_PARAGRAPH
    assert norm.changed and norm.origin is None  # the conversion kept the length: offsets are the identity
    start = norm.text.index("115亿元")
    assert norm.original_text((start, start + len("115亿元"))) == "115億元"


def test_full_width_digits_become_ascii_but_punctuation_and_signs_the_report_prints_stay() -> None:
    norm = normalise_input("２０２２年共享住宿交易額為１１５億元，下降２４．３％（表１），融資額＜1億元")
    assert norm.text == "2022年共享住宿交易额为115亿元，下降24.3%（表1），融资额＜1亿元"
    assert len(norm.text) == len(norm.original)


def test_simplified_and_english_text_pass_unchanged(report_doc: Document) -> None:
    assert not normalise_input(report_doc.text).changed
    assert not normalise_input("Ride-hailing had 405.07 million users in 2022.").changed


def test_a_conversion_that_changes_the_length_maps_spans_back_character_by_character() -> None:
    norm = align("面积120㎡，增长5％", lambda t: unicodedata.normalize("NFKC", t))
    assert norm.text == "面积120m2,增长5%"
    start = norm.text.index("120m2")
    assert norm.original_span((start, start + 5)) == (2, 6)
    assert norm.original_text((start, start + 5)) == "120㎡"
    assert norm.original_text((norm.text.index("5%"), len(norm.text))) == "5％"


# --------------------------------------------------------------------------- ask


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        pytest.param("2022年共享住宿规模", "2022年共享住宿規模", id="table-lookup"),
        pytest.param("2022年国内旅游总人次", "2022年國內旅遊總人次", id="text-figure"),
        pytest.param("2022年生活服务占共享经济交易总额的比重", "2022年生活服務佔共享經濟交易總額的比重", id="computed-share"),
        pytest.param("2022年交通出行交易额比上年减少了多少", "2022年交通出行交易額比上年減少了多少", id="computed-change"),
        pytest.param("２０２２年共享住宿规模", "２０２２年共享住宿規模", id="full-width-digits"),
    ],
)
def test_a_traditional_question_gets_the_simplified_answer(engine: Engine, simplified: str, traditional: str) -> None:
    plain = library.ask(simplified, engine)
    typed = library.ask(traditional, engine)
    assert plain.answerable and typed.answerable
    assert typed.answer == plain.answer
    assert [c.id for c in typed.citations] == [c.id for c in plain.citations]
    assert [(f.value, f.status) for f in typed.facts] == [(f.value, f.status) for f in plain.facts]
    assert typed.question == traditional  # the question stays as typed


def test_search_reads_traditional_script_like_simplified(engine: Engine) -> None:
    plain = library.search("2022年国内旅游总人次", engine, k=3)
    typed = library.search("2022年國內旅遊總人次", engine, k=3)
    assert [h.chunk.id for h in typed] == [h.chunk.id for h in plain]


# --------------------------------------------------------------------------- check


def _verdicts(facts):
    return [(f.value, f.unit, f.year, f.subject, f.status, f.source.get("cell"), f.span) for f in facts]


def test_a_traditional_paragraph_gets_the_simplified_verdicts(engine: Engine) -> None:
    typed = library.check(TRADITIONAL_PARAGRAPH, engine)
    plain = library.check(SIMPLIFIED_PARAGRAPH, engine)
    assert _verdicts(typed) == _verdicts(plain)
    assert [f.status for f in typed] == ["verified", "verified", "verified", "derived", "derived", "derived"]
    assert [f.text for f in typed] == ["115億元", "24.3%", "40507萬人", "48.4%", "46.4%", "2.0個百分點"]
    for fact in typed:  # every span quotes what the user wrote
        assert fact.span is not None and TRADITIONAL_PARAGRAPH[fact.span[0]:fact.span[1]] == fact.text


def test_check_over_http_quotes_the_traditional_text(engine: Engine) -> None:
    with TestClient(create_app(engine.settings, engine)) as client:
        r = client.post("/v1/check", json={"text": "2022年共享住宿交易額為１１５億元"})
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == "2022年共享住宿交易額為１１５億元"
    assert [(f["text"], f["status"], f["source"]["cell"]) for f in body["facts"]] == [("１１５億元", "verified", "表1/共享住宿/2022年")]
