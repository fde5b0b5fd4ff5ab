"""Reading a report file: decoding, safe normalisation, and clear errors for files that are not a report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.source import read_report
from indexer.structure import parse_document
from reportqa.errors import CorpusFormatError

SNIPPET = "中国共享经济发展报告（2023）\n\n一、共享经济市场规模持续扩大\n\n（一）共享经济市场交易规模同比增长 3.9%\n\n初步估算，2022 年我国共享经济市场交易规模约为\n\n38320亿元，同比增长约 3.9%。\n"


def _write(tmp_path: Path, data: bytes, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_read_report_returns_text_and_sha256_of_raw_bytes(report_path: Path) -> None:
    text, sha = read_report(report_path)
    assert sha == hashlib.sha256(report_path.read_bytes()).hexdigest()
    assert text == report_path.read_text(encoding="utf-8")
    assert text.startswith("\n") and "中国共享经济发展报告（2023）" in text[:200]


def test_bom_and_crlf_are_normalised_and_spans_point_into_the_returned_text(tmp_path: Path, report_path: Path) -> None:
    raw = report_path.read_text(encoding="utf-8")
    path = _write(tmp_path, "\ufeff".encode() + raw.replace("\n", "\r\n").encode("utf-8"))
    text, sha = read_report(path)
    assert "\r" not in text and not text.startswith("\ufeff")
    assert text == raw
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    doc = parse_document(path)
    s31 = doc.section("s3.1")
    assert s31 is not None and doc.text[s31.span[0] : s31.span[1]] == "（一）治理规则和制度规范持续完善"


def test_a_small_utf8_snippet_with_headings_is_accepted(tmp_path: Path) -> None:
    text, _ = read_report(_write(tmp_path, SNIPPET.encode("utf-8")))
    assert text == SNIPPET


BAD_INPUTS = [
    pytest.param(b"", "is empty", id="empty-file"),
    pytest.param(b"  \n\n\t \r\n", "is empty", id="whitespace-only"),
    pytest.param(b"%PDF-1.7\n\x00\x01\x02\x03binary\x00stream", "pdftotext", id="binary-nul-bytes"),
    pytest.param(SNIPPET.encode("gb18030"), "iconv -f GB18030 -t UTF-8", id="gbk-encoded"),
    pytest.param(SNIPPET.encode("utf-16"), "iconv -f UTF-16 -t UTF-8", id="utf16-with-bom"),
    pytest.param(SNIPPET.encode("gbk"), "re-save as UTF-8", id="gbk-codec"),
    pytest.param(b"plain \x80\x81 text \xff end", "not UTF-8", id="undecodable-bytes"),
    pytest.param("Just some notes.\nNo numbered headings here at all.\n共享经济很重要。\n".encode(), "no recognisable headings", id="no-headings"),
    pytest.param("一是要加强监管，二是要鼓励创新，三是要保护劳动者。\n".encode(), "no recognisable headings", id="only-yishi-sentences"),
]


@pytest.mark.parametrize("reader", [pytest.param(read_report, id="read_report"), pytest.param(parse_document, id="parse_document")])
@pytest.mark.parametrize(("data", "hint"), BAD_INPUTS)
def test_bad_input_raises_corpus_format_error_saying_what_to_do(
    tmp_path: Path, reader: Callable[[Path], object], data: bytes, hint: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(CorpusFormatError) as err:
        reader(path)
    message = str(err.value)
    assert hint in message
    assert "report.txt" in message
    assert "—" in message  # problem — what to do


def test_missing_file_raises_corpus_format_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusFormatError, match="does not exist"):
        read_report(tmp_path / "nope.txt")


def test_gbk_copy_of_the_real_report_is_rejected_not_silently_decoded(tmp_path: Path, report_path: Path) -> None:
    raw = report_path.read_text(encoding="utf-8")
    path = _write(tmp_path, raw.encode("gb18030"), "gbk-copy.txt")
    with pytest.raises(CorpusFormatError, match="GB18030"):
        parse_document(path)
