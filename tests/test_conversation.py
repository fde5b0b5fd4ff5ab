"""Follow-ups become standalone questions: a missing year, subject or measure comes from earlier user turns, in
both languages; new questions stay as asked; the subjects come from the loaded report's tables and glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportqa import library
from reportqa.conversation import Vocabulary, build_vocabulary, read_question, rewrite_followup, user_turns
from reportqa.errors import BadQuestion
from reportqa.library import Engine
from reportqa.query.lexicon.glossary import load_glossary, parse_glossary
from reportqa.records import Document

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def vocab(report_doc: Document) -> Vocabulary:
    """The bundled report's tables and glossary, with the packaged general words."""
    return build_vocabulary(report_doc.tables, load_glossary(ROOT / "corpus" / f"{report_doc.doc_id}.glossary.tsv"))


@pytest.mark.parametrize(
    ("turns", "standalone", "how"),
    [
        pytest.param(["2022年共享住宿规模", "那2021年呢？"], "2021年共享住宿规模", "substitution", id="zh-year"),
        pytest.param(["2022年共享住宿规模", "那2021年呢？", "占总规模多少？"], "2021年共享住宿占总规模多少？", "completion",
                     id="zh-share-inherits-subject-and-the-year-of-the-turn-before"),
        pytest.param(["2022年共享住宿规模", "增速呢？"], "2022年共享住宿增速？", "completion", id="zh-measure"),
        pytest.param(["2022年共享住宿规模", "那它的增速呢？"], "2022年共享住宿的增速？", "completion", id="zh-pronoun"),
        pytest.param(["2022年共享住宿规模", "共享医疗呢？", "上一年呢？"], "2021年共享医疗规模", "substitution",
                     id="zh-subject-then-previous-year"),
        pytest.param(["2022年网约车用户规模", "在线外卖呢", "普及率呢"], "2022年在线外卖普及率", "completion", id="zh-chain"),
        pytest.param(["How large was the shared accommodation market in 2022?", "and in 2021?"],
                     "How large was the shared accommodation market in 2021?", "substitution", id="en-year"),
        pytest.param(["How large was the shared accommodation market in 2022?", "and in 2021?", "what about its share of the total?"],
                     "What about shared accommodation's share of the total in 2021?", "completion", id="en-share"),
        pytest.param(["What was the transaction volume of the sharing economy in 2022?", "What was the growth rate?"],
                     "What was the growth rate for the sharing economy in 2022?", "completion", id="en-measure-only"),
        pytest.param(["What was the transaction volume of the sharing economy in 2022?", "and the year before?"],
                     "What was the transaction volume of the sharing economy in 2021?", "substitution", id="en-relative-year"),
        pytest.param(["How many people used ride-hailing services in 2022?", "what about food delivery?"],
                     "How many people used food delivery in 2022?", "substitution", id="en-subject"),
        pytest.param(["How large was the shared accommodation market in 2022?", "How many users did it have?"],
                     "How many users did shared accommodation have in 2022?", "completion", id="en-pronoun"),
    ],
)
def test_a_follow_up_is_rewritten_with_what_it_leaves_out(vocab: Vocabulary, turns: list[str], standalone: str, how: str) -> None:
    rewrite = rewrite_followup(turns, vocab)
    assert (rewrite.question, rewrite.how, rewrite.asked) == (standalone, how, turns[-1])
    assert rewrite.rewritten and rewrite.inherited


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["2022年共享住宿规模"], id="first-turn"),
        pytest.param(["2022年共享住宿规模", "共享经济发展面临哪些挑战？"], id="zh-new-topic"),
        pytest.param(["2022年共享住宿规模", "2022年直接融资规模"], id="zh-own-year-and-measure"),
        pytest.param(["2022年共享住宿规模", "平台企业员工人数"], id="zh-words-beyond-the-slots"),
        pytest.param(["2022年共享住宿规模", "2021年共享医疗的交易规模是多少？"], id="zh-complete-question"),
        pytest.param(["How large was the shared accommodation market in 2022?", "What challenges does the sharing economy face?"],
                     id="en-new-topic"),
    ],
)
def test_a_question_that_stands_alone_is_answered_as_asked(vocab: Vocabulary, turns: list[str]) -> None:
    rewrite = rewrite_followup(turns, vocab)
    assert (rewrite.question, rewrite.rewritten, rewrite.inherited) == (turns[-1], False, {})


def test_no_eval_question_is_rewritten_when_it_follows_another(vocab: Vocabulary) -> None:
    """The eval sets' 284 questions each stand alone: asked one after another, none borrows from the one before."""
    questions = [json.loads(line)["question"] for name in ("report2023.jsonl", "heldout.jsonl")
                 for line in (ROOT / "evals" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    rewritten = [(a, b) for a, b in zip(questions, questions[1:]) if rewrite_followup([a, b], vocab).rewritten]
    assert len(questions) > 250 and rewritten == []


def test_inherited_slots_name_the_subject_by_its_row_and_the_year(vocab: Vocabulary) -> None:
    rewrite = rewrite_followup(["How large was the shared accommodation market in 2022?", "What about its share of the total?"], vocab)
    assert rewrite.inherited == {"subject": "共享住宿", "year": "2022"}


def test_a_chinese_follow_up_to_an_english_question_keeps_the_english_wording(vocab: Vocabulary) -> None:
    rewrite = rewrite_followup(["How large was the shared accommodation market in 2022?", "那2021年呢？"], vocab)
    assert rewrite.question == "How large was the shared accommodation market in 2021?"


def test_share_of_the_total_is_a_measure_not_the_total_row(vocab: Vocabulary) -> None:
    marks = [(m.kind, m.text) for m in read_question("what about its share of the total?", vocab).marks]
    assert marks == [("lead", "what about"), ("pronoun", "its"), ("measure", "share of the total")]


def test_subjects_come_from_any_reports_tables(synthetic_doc: Document) -> None:
    """A report with other rows: its row labels are subjects without any glossary entry for them."""
    vocab = build_vocabulary(synthetic_doc.tables, parse_glossary("总计\ttotal\trow\n"))
    first = "2023年智慧景区消费规模"
    assert rewrite_followup([first, "那2022年呢？"], vocab).question == "2022年智慧景区消费规模"
    assert rewrite_followup([first, "数字博物馆呢？"], vocab).question == "2023年数字博物馆消费规模"
    rewrite = rewrite_followup([first, "数字博物馆呢？", "占总规模多少？"], vocab)
    assert (rewrite.question, rewrite.inherited) == ("2023年数字博物馆占总规模多少？", {"year": "2023", "subject": "数字博物馆"})


@pytest.mark.parametrize(
    ("messages", "message"),
    [
        pytest.param([], "messages is empty", id="empty"),
        pytest.param([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "the last message is from 'assistant'",
                     id="ends-with-assistant"),
        pytest.param([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}], "has no text", id="no-text"),
    ],
)
def test_messages_that_ask_nothing_raise_with_what_to_send(messages: list[dict], message: str) -> None:
    with pytest.raises(BadQuestion, match=message):
        user_turns(messages)


def test_ask_conversation_answers_the_understood_question_and_says_so(engine: Engine) -> None:
    messages = [{"role": "user", "content": "2022年共享住宿规模"}, {"role": "assistant", "content": "…"},
                {"role": "user", "content": "那2021年呢？"}]
    answer = library.ask_conversation(messages, engine)
    direct = library.ask("2021年共享住宿规模", engine)
    assert (answer.understood_as, answer.asked, answer.question) == ("2021年共享住宿规模", "那2021年呢？", "2021年共享住宿规模")
    assert (answer.answer, answer.citations, answer.facts) == (direct.answer, direct.citations, direct.facts)


def test_cli_chat_answers_each_turn_in_the_context_of_the_ones_before(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportqa import cli

    monkeypatch.setattr(library, "load_engine", lambda settings: engine)  # the session's index, not a second load
    assert cli.main(["chat", "2022年共享住宿规模", "那2021年呢？", "--json"]) == 0
    first, second = json.loads(capsys.readouterr().out)
    assert (first["understood_as"], second["understood_as"]) == (None, "2021年共享住宿规模")
    assert second["answer"] == library.ask("2021年共享住宿规模", engine).answer
    assert cli.main(["chat", "2022年共享住宿规模", "那2021年呢？"]) == 0
    assert "> 那2021年呢？\n理解为：2021年共享住宿规模\n" in capsys.readouterr().out
