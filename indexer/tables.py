"""Tables (表N) of a flattened report text as typed, validated records.

A table in the extracted text is a caption line ``表 1 …``, a few header lines, one line per row
(``交通出行 2344 2012 -14.2%``) and ``数据来源：…`` / ``注：…`` lines. Contents lines (dot leaders +
page number) are not captions. Problems (short rows, unreadable cells, missing headers) become
``Table.warnings``; nothing here raises on odd input.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from math import comb

from indexer.table_header import Header, caption_years, parse_header
from indexer.validate import validate_table
from reportqa.numeric import ParsedNumber, parse_number
from reportqa.records import Cell, Column, Row, Table

CAPTION = re.compile(r"^[ \t\u3000]*(表)\s*(\d{1,3})(?:[ \t\u3000]+|[：:．、][ \t\u3000]*)(?P<caption>\S.*?)\s*$")
LEADERS = re.compile(r"(\.{3,}|…{2,}|·{3,}|．{3,}|-{4,})\s*[\dⅰ-ⅿⅠ-ⅯivxlcIVXLC]*\s*$")
FIGURE = re.compile(r"^[ \t\u3000]*图\s*\d{1,3}\s")
SOURCE = re.compile(r"^(数据来源|资料来源|来源|Source|Sources)\s*[：:]", re.IGNORECASE)
NOTE = re.compile(r"^(注|备注|说明|Note|Notes)\s*[：:①1１]", re.IGNORECASE)
PAGE_NUMBER = re.compile(r"^\s*(\d{1,4}|[IVXLC]{1,6}|[ivxlc]{1,6})\s*$")
PLACEHOLDERS = {"-", "—", "–", "--", "——", "/", "／", "…", "...", "N/A", "n/a", "NA", "*", "－", "x", "×"}
TOTAL_LABELS = {"总计", "合计", "总和", "总体", "全部", "total", "sum", "overall"}
SENTENCE_END = ("。", ".", "！", "!", "？", "?")
MAX_HEADER_LINES = 6
MAX_NOTE_LINES = 6


@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def span(self) -> tuple[int, int]:
        """The line's non-blank content in the source."""
        lead = len(self.text) - len(self.text.lstrip())
        return (self.start + lead, self.start + len(self.text.rstrip()))


@dataclass
class RawRow:
    label: str
    tokens: list[str]
    unreadable: list[str]
    line: Line


def split_lines(text: str) -> list[Line]:
    """Every line of ``text`` with its source offsets (newline excluded)."""
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


def join_wrapped(parts: list[str]) -> str:
    """Join hard-wrapped pieces: no space between CJK characters, one space between Latin words."""
    out = ""
    for p in (p.strip() for p in parts):
        if out and p and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def is_cell_token(token: str) -> bool:
    """A number, a bound such as '＜1', or a printed placeholder for a missing value ('—')."""
    return token in PLACEHOLDERS or parse_number(token) is not None


def split_row(text: str, lenient: bool = False) -> tuple[str, list[str], list[str]] | None:
    """(label, cell tokens, unreadable tokens) if the line reads as a table row, else None."""
    toks = text.split()
    first = next((i for i, t in enumerate(toks) if is_cell_token(t)), None)
    if not first:  # None, or no label before the first number
        return None
    label, cells = join_wrapped(toks[:first]), toks[first:]
    bad = [t for t in cells if not is_cell_token(t)]
    numeric = [t for t in cells if parse_number(t) is not None]
    if not numeric or (bad and not (lenient and all(re.search(r"\d", t) for t in bad))):
        return None
    return label, cells, bad


def _is_caption(lines: list[Line], i: int) -> re.Match[str] | None:
    """A body caption: '表 N text', not a contents line with dot leaders (on it or the next line)."""
    m = CAPTION.match(lines[i].text)
    if not m or m.group("caption")[0] in "）)，,。；;：:、" or "。" in m.group("caption") or m.group("caption").endswith("，"):
        return None  # a sentence that happens to start with '表 N', not a caption
    nxt = next((ln for ln in lines[i + 1:i + 4] if ln.stripped), None)
    if LEADERS.search(lines[i].text) or (nxt is not None and re.fullmatch(r"[.…·\s]{3,}\d*", nxt.stripped)):
        return None
    return m


def _is_artifact(line: Line, repeated: set[str]) -> bool:
    """A page number or a running header/footer printed inside a table by a page break."""
    return bool(PAGE_NUMBER.match(line.text)) or line.stripped in repeated


def extract_tables(text: str) -> list[Table]:
    """Every body table of the report, typed and validated (``Table.checks``), in reading order."""
    lines = split_lines(text)
    counts = Counter(ln.stripped for ln in lines if len(ln.stripped) >= 4)
    repeated = {t for t, n in counts.items() if n >= 3}
    tables: dict[str, Table] = {}
    for i in range(len(lines)):
        m = _is_caption(lines, i)
        if m is None:
            continue
        table = parse_table(lines, i, m, repeated)
        old = tables.get(table.id)
        if old is None:
            tables[table.id] = table
        elif not old.rows and table.rows:
            tables[table.id] = table.model_copy(update={"warnings": table.warnings + [f"caption {table.id} printed twice; kept the one with rows"]})
        else:
            old.warnings.append(f"caption {table.id} printed again at offset {lines[i].start}; ignored")
    return list(tables.values())


def parse_table(lines: list[Line], i: int, m: re.Match[str], repeated: set[str]) -> Table:
    """Parse the table whose caption is ``lines[i]``."""
    number = int(m.group(2))
    table_id = f"表{number}"
    caption = m.group("caption")
    warnings: list[str] = []
    header_lines, j = _collect_header(lines, i + 1)
    raw_rows, j = _collect_rows(lines, j, repeated)
    source, notes, last = _collect_footer(lines, j, repeated)
    end_line = last or (raw_rows[-1].line if raw_rows else lines[i])
    if not raw_rows:  # what follows the caption is not a table: claim only the caption line
        header_lines = []
        warnings.append(f"no data rows found under caption {lines[i].stripped!r}")
    counts = Counter(len(r.tokens) for r in raw_rows)
    expected = counts.most_common(1)[0][0] if counts else None
    header = parse_header([ln.text for ln in header_lines], caption, [len(r.tokens) for r in raw_rows])
    warnings += header.warnings if raw_rows else []
    columns = header.columns
    if not columns and expected:
        columns = _generic_columns(expected, caption)
        warnings.append(f"no usable header; made {expected} generic columns c1..c{expected}")
    rows = _build_rows(table_id, raw_rows, columns, header, warnings)
    cap_span = lines[i].span()
    table = Table(id=table_id, number=number, caption=caption, columns=columns, rows=rows, source=source,
                  notes=notes, warnings=warnings, span=(cap_span[0], end_line.span()[1]))
    table.checks = validate_table(table)
    return table


def _collect_header(lines: list[Line], j: int) -> tuple[list[Line], int]:
    header: list[Line] = []
    while j < len(lines) and len(header) < MAX_HEADER_LINES:
        ln = lines[j]
        if ln.stripped:
            if (split_row(ln.text) and not _years_only(ln.text)) or SOURCE.match(ln.stripped) or NOTE.match(ln.stripped) or CAPTION.match(ln.text) or FIGURE.match(ln.text):
                break
            header.append(ln)
        j += 1
    return header, j


def _years_only(text: str) -> bool:
    """A header line of bare years ('领域 2021 2022') that would otherwise read as a row."""
    parsed = split_row(text)
    return bool(parsed) and all(re.fullmatch(r"(19|20)\d{2}", t) for t in parsed[1])  # type: ignore[index]


def _collect_rows(lines: list[Line], j: int, repeated: set[str]) -> tuple[list[RawRow], int]:
    rows: list[RawRow] = []
    while j < len(lines):
        ln = lines[j]
        if not ln.stripped:
            j += 1
            continue
        if SOURCE.match(ln.stripped) or NOTE.match(ln.stripped):
            break
        parsed = split_row(ln.text, lenient=bool(rows))
        if parsed:
            rows.append(RawRow(parsed[0], parsed[1], parsed[2], ln))
            j += 1
            continue
        if rows and _is_artifact(ln, repeated):
            k = _next_content(lines, j + 1, repeated)
            if k is not None and (split_row(lines[k].text, lenient=True) or SOURCE.match(lines[k].stripped)):
                j = k
                continue
        break
    return rows, j


def _next_content(lines: list[Line], j: int, repeated: set[str]) -> int | None:
    for k in range(j, min(j + 8, len(lines))):
        if lines[k].stripped and not _is_artifact(lines[k], repeated):
            return k
    return None


def _collect_footer(lines: list[Line], j: int, repeated: set[str]) -> tuple[str | None, list[str], Line | None]:
    """数据来源 lines (duplicates collapsed) and 注 lines (joined across wraps)."""
    sources: list[str] = []
    notes: list[str] = []
    last: Line | None = None
    while j < len(lines):
        ln = lines[j]
        if not ln.stripped:
            j += 1
            continue
        if SOURCE.match(ln.stripped):
            if ln.stripped not in sources:
                sources.append(ln.stripped)
            last, j = ln, j + 1
        elif NOTE.match(ln.stripped):
            parts, last, j = _note_lines(lines, j, repeated)
            notes.append(join_wrapped(parts))
        else:
            break
    return ("；".join(sources) if sources else None), notes, last


def _note_lines(lines: list[Line], j: int, repeated: set[str]) -> tuple[list[str], Line, int]:
    """A 注 line and its wrapped continuation, up to the line ending a sentence."""
    parts, last = [lines[j].stripped], lines[j]
    j += 1
    while not parts[-1].endswith(SENTENCE_END) and len(parts) < MAX_NOTE_LINES:
        k = _next_content(lines, j, repeated)
        if k is None or SOURCE.match(lines[k].stripped) or NOTE.match(lines[k].stripped) or CAPTION.match(lines[k].text):
            break
        parts.append(lines[k].stripped)
        last, j = lines[k], k + 1
    return parts, last, j


def _generic_columns(n: int, caption: str) -> list[Column]:
    years = caption_years(caption)
    return [Column(id=f"c{k + 1}", header=[f"c{k + 1}"], metric=caption, unit=None,
                   year=years[0] if len(years) == 1 else None, kind="level") for k in range(n)]


def _expects_percent(columns: list[Column], raw_rows: list[RawRow], header: Header) -> list[bool | None]:
    """Whether each column's cells carry a '%' sign: from full rows, else from the column kind."""
    full = [r.tokens for r in raw_rows if len(r.tokens) == len(columns)]
    out: list[bool | None] = []
    for k, col in enumerate(columns):
        signs = [p.percent for toks in full if (p := parse_number(toks[k])) is not None]
        if signs:
            out.append(sum(signs) * 2 > len(signs))
        elif col.unit == "%" and not header.explicit_unit.get(col.id, False):
            out.append(True)
        else:
            out.append(False if col.kind == "level" else None)
    return out


def align_cells(tokens: list[str], expects: list[bool | None]) -> list[str | None]:
    """Place ``tokens`` under columns, order kept: missing (or extra) cells go where the '%' signs
    fit, and at the end of the row when nothing says otherwise."""
    n, m = len(tokens), len(expects)

    def fits(tok: str, expect: bool | None) -> int:
        p = parse_number(tok)
        return 1 if p is None or expect is None or p.percent == expect else 0

    if comb(max(m, n), min(m, n)) > 20000:  # absurdly wide rows: keep printed order, pad or cut at the end
        return ([*tokens, *[None] * (m - n)] if n <= m else tokens[:m])  # type: ignore[return-value]
    if n <= m:
        best = max(combinations(range(m), n), key=lambda pos: (sum(fits(t, expects[c]) for t, c in zip(tokens, pos)), [-c for c in pos]))
        placed: list[str | None] = [None] * m
        for t, c in zip(tokens, best):
            placed[c] = t
        return placed
    keep = max(combinations(range(n), m), key=lambda pos: (sum(fits(tokens[t], expects[c]) for c, t in enumerate(pos)), [-t for t in pos]))
    return [tokens[t] for t in keep]


def _build_rows(table_id: str, raw_rows: list[RawRow], columns: list[Column], header: Header, warnings: list[str]) -> list[Row]:
    expects = _expects_percent(columns, raw_rows, header)
    rows: list[Row] = []
    labels: Counter[str] = Counter()
    for raw in raw_rows:
        labels[raw.label] += 1
        label = raw.label if labels[raw.label] == 1 else f"{raw.label}#{labels[raw.label]}"
        if labels[raw.label] > 1:
            warnings.append(f"row label {raw.label!r} repeated; second one is {label!r}")
        placed = align_cells(raw.tokens, expects) if columns else []
        if len(raw.tokens) < len(columns):
            empty = [c.id for c, t in zip(columns, placed) if t is None]
            warnings.append(f"row {label!r} has {len(raw.tokens)} cells for {len(columns)} columns; left empty: {', '.join(empty)}")
        elif len(raw.tokens) > len(columns):
            dropped = list((Counter(raw.tokens) - Counter(t for t in placed if t is not None)).elements())
            warnings.append(f"row {label!r} has {len(raw.tokens)} cells for {len(columns)} columns; dropped: {', '.join(dropped)}")
        for tok in raw.unreadable:
            warnings.append(f"row {label!r}: unreadable cell {tok!r} kept as text without a value")
        cells = [_cell(table_id, label, col, tok) for col, tok in zip(columns, placed)]
        norm = re.sub(r"\s+", "", label).lower()
        rows.append(Row(label=label, is_total=norm in TOTAL_LABELS, cells=cells, span=raw.line.span()))
    if rows and not any(r.is_total for r in rows) and _sums_the_rest(rows):
        rows[-1] = rows[-1].model_copy(update={"is_total": True})  # a total row labelled otherwise ('全国')
    return rows


def _sums_the_rest(rows: list[Row]) -> bool:
    """True when the last row's every level figure is the sum of the rows above it (within their rounding).

    Needs at least two rows above and one level column where every row has a value.
    """
    last, parts = rows[-1], rows[:-1]
    if len(parts) < 2:
        return False
    checked = 0
    for k, cell in enumerate(last.cells):
        column = [r.cells[k] for r in parts if k < len(r.cells)]
        if cell.kind != "level" or cell.value is None or len(column) != len(parts):
            continue
        if any(c.value is None or c.bound is not None for c in column):
            continue
        slack = sum(0.5 * 10 ** -c.decimals for c in column) + 0.5 * 10 ** -cell.decimals
        if abs(sum(c.value for c in column) - cell.value) > slack + 1e-9:  # type: ignore[misc]
            return False
        checked += 1
    return checked > 0


def _cell(table_id: str, label: str, col: Column, token: str | None) -> Cell:
    parsed: ParsedNumber | None = parse_number(token) if token else None
    unit = "%" if parsed is not None and parsed.percent else col.unit
    return Cell(id=f"{table_id}/{label}/{col.id}", row=label, column=col.id, text=token or "",
                value=parsed.value if parsed else None, unit=unit, year=col.year, metric=col.metric,
                kind=col.kind, bound=parsed.bound if parsed else None, decimals=parsed.decimals if parsed else 0)
