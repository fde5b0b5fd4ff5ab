"""`reportqa loadtest`: questions come from the report's own tables and sections; a load cell counts answers,
errors and percentiles against a real server."""

from __future__ import annotations

import os

import pytest

from reportqa.library import Engine
from reportqa.loadtest import CLIENTS, cpu_seconds, format_report, rss_kb, run_cell
from reportqa.loadtest_questions import generate_questions
from reportqa.records import Document
from tests.servers import server_in_thread


def test_questions_are_distinct_and_name_the_rows_years_and_sections_of_any_report(synthetic_doc: Document, report_doc: Document) -> None:
    questions = generate_questions([synthetic_doc])
    assert len(questions) == len(set(questions)) >= 50
    rows = {r.label for t in synthetic_doc.tables for r in t.rows}
    years = {str(c.year) for t in synthetic_doc.tables for c in t.columns if c.year}
    assert all(any(row in q for row in rows) for q in questions if any(y in q for y in years))
    assert any(s.title in q for s in synthetic_doc.sections for q in questions)
    real_rows = {r.label for t in report_doc.tables for r in t.rows} - rows
    assert not any(row in q for row in real_rows for q in questions), "nothing of another report leaks in"
    assert generate_questions([synthetic_doc]) == questions, "the order is seeded: runs are comparable"


@pytest.mark.parametrize("client", CLIENTS)
def test_a_load_cell_answers_every_question_and_reports_percentiles_and_its_own_cpu(engine: Engine, report_doc: Document, client: str) -> None:
    questions = generate_questions([report_doc], limit=12)
    with server_in_thread(engine) as server:
        cell = run_cell(server.url, questions, concurrency=3, duration=120, client=client)
    assert (cell["concurrency"], cell["requests"], cell["errors"], cell["errors_by_status"], cell["client"]) == (3, 12, 0, {}, client)
    assert 0 < cell["p50_ms"] <= cell["p95_ms"] <= cell["p99_ms"]
    assert cell["answers_per_s"] > 0
    assert cell["client_cpu_s_per_s"] > 0 and cell["client_cpu_ms_per_request"] > 0  # the server runs in this process too here
    report = {"runs": [{"workers": 1, "kind": "distinct", **cell}], "questions_generated": 12, "cpus": 2,
              "load_avg_1m_start": 1.0, "load_avg_1m_end": 1.0}
    assert "answers/s" in format_report(report)


def test_rss_is_read_from_proc() -> None:
    assert rss_kb(os.getpid()) > 10_000


def test_cpu_time_is_read_from_proc_and_grows_with_work() -> None:
    before = cpu_seconds(os.getpid())
    sum(i * i for i in range(3_000_000))
    assert cpu_seconds(os.getpid()) > before > 0
    assert cpu_seconds(2**22 + 12345) == 0.0  # no such process


def test_the_load_tests_servers_do_not_rate_limit_their_one_loopback_client(index_settings) -> None:
    from reportqa.bench_http import settings_env
    from reportqa.loadtest import unlimited

    assert index_settings.rate_limit.per_second > 0  # the service limits clients by default
    env = settings_env(unlimited(index_settings))
    assert '"per_second": 0.0' in env["REPORTQA_RATE_LIMIT"]


def test_retrieval_only_keeps_the_questions_whose_answer_embeds_the_question(index_settings) -> None:
    from reportqa.loadtest import retrieval_questions

    table_question = "2022年共享住宿交易额是多少？"  # answered from the parsed table
    text_question = "共享经济领域直接融资为什么大幅下降？"  # a narrative: retrieval
    assert retrieval_questions(index_settings, [table_question, text_question]) == [text_question]
