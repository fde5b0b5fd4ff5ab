"""The bundled eval set (evals/report2023.jsonl) is sound: big enough, bilingual, covers the whole report,
quotes it verbatim, and its table golds agree with the parsed tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.loaders import TYPES, EvalItem, load_eval_set
from evals.metrics import normalize_heading, numeric_correct
from indexer.tables import extract_tables
from reportqa.numeric import round_half_up
from reportqa.records import Cell, Document, Table

ROOT = Path(__file__).resolve().parent.parent
SET_PATH = ROOT / "evals" / "report2023.jsonl"
CORPUS = (ROOT / "corpus" / "china-sharing-economy-report-2023.txt").read_text(encoding="utf-8")
ITEMS = load_eval_set(SET_PATH)
TABLE_ITEMS = [i for i in ITEMS if i.compute]


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    """The report's tables as parsed by indexer.tables.extract_tables."""
    return {t.id: t for t in extract_tables(CORPUS)}


def test_set_has_at_least_150_items() -> None:
    assert len(ITEMS) >= 150


def test_set_is_about_half_chinese_half_english() -> None:
    langs = Counter(i.lang for i in ITEMS)
    assert set(langs) == {"zh", "en"}
    assert 0.4 <= langs["zh"] / len(ITEMS) <= 0.6


@pytest.mark.parametrize("item_type", [pytest.param(t, id=t) for t in TYPES])
def test_every_type_is_asked_in_both_languages(item_type: str) -> None:
    langs = Counter(i.lang for i in ITEMS if i.type == item_type)
    assert langs["zh"] >= 5 and langs["en"] >= 5, langs


def test_ids_are_unique_and_carry_their_type() -> None:
    prefix = {"table_lookup": "tl-", "table_compute": "tc-", "text_fact": "tf-", "narrative": "nr-",
              "consistency": "cs-", "unanswerable": "un-"}
    assert len({i.id for i in ITEMS}) == len(ITEMS)
    assert all(i.id.startswith(prefix[i.type]) for i in ITEMS)


@pytest.mark.parametrize("table_id", [pytest.param(f"表{n}", id=f"table{n}") for n in range(1, 5)])
def test_every_table_has_lookup_and_computed_questions(table_id: str) -> None:
    kinds = Counter(i.type for i in ITEMS if i.table == table_id)
    assert kinds["table_lookup"] >= 5 and kinds["table_compute"] >= 5, kinds


def _covered_headings() -> set[str]:
    return {normalize_heading(i.section) for i in ITEMS if i.section}


def _subtree(doc: Document, section_id: str) -> list[str]:
    """Headings of a section and of everything below it."""
    parents = {s.id: s.parent for s in doc.sections}

    def under(sid: str | None) -> bool:
        while sid is not None:
            if sid == section_id:
                return True
            sid = parents.get(sid)
        return False

    return [s.heading for s in doc.sections if under(s.id)]


def test_every_section_of_the_report_is_asked_about(report_doc: Document) -> None:
    covered = _covered_headings()
    missing = [s.heading for s in report_doc.sections
               if s.kind != "appendix" and not any(normalize_heading(h) in covered for h in _subtree(report_doc, s.id))]
    assert not missing


def test_every_appendix_case_is_asked_about_in_both_languages(report_doc: Document) -> None:
    cases = [s for s in report_doc.sections if s.kind == "case"]
    assert len(cases) == 3
    for case in cases:
        headings = {normalize_heading(h) for h in _subtree(report_doc, case.id)}
        langs = {i.lang for i in ITEMS if normalize_heading(i.section) in headings}
        assert langs == {"zh", "en"}, case.heading


def test_every_gold_section_is_a_heading_of_the_report(report_doc: Document) -> None:
    headings = {s.heading for s in report_doc.sections}
    assert sorted({i.section for i in ITEMS if i.section} - headings) == []


@pytest.mark.parametrize("item", [pytest.param(i, id=i.id) for i in ITEMS if i.evidence])
def test_evidence_occurs_verbatim_in_the_corpus(item: EvalItem) -> None:
    assert item.evidence in CORPUS


@pytest.mark.parametrize("item", [pytest.param(i, id=i.id) for i in ITEMS])
def test_item_fields_fit_its_type(item: EvalItem) -> None:
    assert item.question.strip() and item.answer.strip() and item.note is not None
    if item.type == "unanswerable":
        assert item.numbers == [] and item.evidence == "" and item.section == ""
    else:
        assert item.evidence
    if item.type in ("table_lookup", "table_compute"):
        assert item.table and item.compute and item.numbers
    if item.type in ("narrative", "unanswerable") or not item.numbers:
        return
    assert numeric_correct(item, item.answer), "the gold answer must state every gold number"


def _cell(tables: dict[str, Table], default_table: str | None, ref: list[str]) -> Cell:
    table_id, row, column = ref if len(ref) == 3 else (default_table, *ref)
    assert table_id in tables, f"no parsed {table_id}"
    cell = tables[table_id].cell(row, column)
    assert cell is not None and cell.value is not None, f"no value at {table_id}/{row}/{column}"
    return cell


def _total(tables: dict[str, Table], spec: dict, refs: list[list[str]]) -> float:
    return sum(_cell(tables, spec.get("table"), r).value or 0.0 for r in refs)


def recompute(spec: dict, tables: dict[str, Table]) -> tuple[list[float], list[str]]:
    """The gold numbers a compute spec stands for, and (for rankings) the row labels in order."""
    op, total = spec["op"], (lambda refs: _total(tables, spec, refs))
    if op == "lookup":
        return [_cell(tables, spec.get("table"), r).value for r in spec["cells"]], []
    if op == "rank":
        table = tables[spec["table"]]
        rows = [r for r in table.rows if not r.is_total and (not spec.get("rows") or r.label in spec["rows"])]
        ranked = sorted(rows, key=lambda r: table.cell(r.label, spec["column"]).value, reverse=spec["order"] == "desc")
        top = ranked[: spec["n"]]
        return [table.cell(r.label, spec["column"]).value for r in top], [r.label for r in top]
    value = {
        "share": lambda: 100 * total(spec["part"]) / total(spec["whole"]),
        "difference": lambda: total(spec["a"]) - total(spec["b"]),
        "sum": lambda: total(spec["cells"]),
        "ratio": lambda: total(spec["a"]) / total(spec["b"]),
        "growth": lambda: 100 * (total(spec["a"]) / total(spec["b"]) - 1),
    }[op]()
    return [round_half_up(value, spec["decimals"])], []


@pytest.mark.parametrize("item", [pytest.param(i, id=i.id) for i in TABLE_ITEMS if i.type == "table_lookup"])
def test_table_lookup_gold_equals_the_parsed_cell(item: EvalItem, tables: dict[str, Table]) -> None:
    values, _ = recompute(item.compute or {}, tables)
    assert values == item.numbers


@pytest.mark.parametrize("item", [pytest.param(i, id=i.id) for i in TABLE_ITEMS if i.type == "table_compute"])
def test_computed_gold_recomputes_from_the_parsed_tables(item: EvalItem, tables: dict[str, Table]) -> None:
    values, labels = recompute(item.compute or {}, tables)
    assert values == pytest.approx(item.numbers, abs=1e-9)
    positions = [item.answer.find(label) for label in labels]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), "ranked rows must be named in order"



HELDOUT = load_eval_set(ROOT / "evals" / "heldout.jsonl")


@pytest.mark.parametrize("item", [pytest.param(i, id=i.id) for i in HELDOUT if i.type != "unanswerable"])
def test_heldout_evidence_is_verbatim_in_the_corpus(item: EvalItem) -> None:
    assert item.evidence and item.evidence in CORPUS


def test_heldout_set_is_bilingual_and_has_unanswerables() -> None:
    langs = Counter(i.lang for i in HELDOUT)
    assert langs["zh"] >= 30 and langs["en"] >= 30
    assert sum(i.type == "unanswerable" for i in HELDOUT) >= 10
