"""Read a report file: decode, validate and normalise it, or say exactly what is wrong with it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from indexer.patterns import has_headings
from reportqa.errors import CorpusFormatError

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_report(path: Path) -> tuple[str, str]:
    """Return (decoded text, sha256 of the raw bytes); raise CorpusFormatError with the fix for unusable files."""
    path = Path(path)
    if not path.is_file():
        raise CorpusFormatError(f"{path} does not exist or is not a file — put the report's UTF-8 .txt file there")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise CorpusFormatError(f"{path.name} is empty — export the report's text (UTF-8) into it or remove the file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusFormatError(
            f"{path.name} is UTF-16 text — re-save it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8 {path.name} > {path.name}.utf8`"
        )
    if b"\x00" in data:
        raise CorpusFormatError(
            f"{path.name} contains NUL bytes, so it is binary (a PDF or Word file?) — "
            "extract the text first (e.g. `pdftotext -layout report.pdf report.txt`) and save it as UTF-8"
        )
    text = _decode(data, path.name)
    text = normalise(text)
    if not text.strip():
        raise CorpusFormatError(f"{path.name} has only whitespace — export the report's text into it or remove the file")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 200):
        raise CorpusFormatError(
            f"{path.name} has {controls} control characters, so it is not plain text — "
            "extract the report's text (e.g. with pdftotext) and save it as UTF-8"
        )
    if not has_headings(text):
        raise CorpusFormatError(
            f"{path.name} has no recognisable headings (lines such as '一、…' or '（一）…') — "
            "ReportQA reads Chinese reports with numbered headings; check that this is the report's text"
        )
    return text, digest


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = ""
    if gb and len(_CJK.findall(gb)) >= 2 and not _CONTROL.search(gb):
        raise CorpusFormatError(
            f"{name} is GBK/GB18030-encoded, not UTF-8 — re-save as UTF-8, "
            f"e.g. `iconv -f GB18030 -t UTF-8 {name} > {name}.utf8 && mv {name}.utf8 {name}`"
        )
    raise CorpusFormatError(
        f"{name} is not UTF-8 text (undecodable byte at offset {utf8_error.start}) — "
        "if it is a PDF or Word file, extract the text first; otherwise re-save it as UTF-8"
    )


def normalise(text: str) -> str:
    """Only safe normalisation: drop a BOM, turn \\r\\n / \\r / form feeds into \\n. Spans refer to the result."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
