"""Which table, rows and measure a parsed question reads: every table competes on the rows and measure it prints
for the question, the years it covers and the words its caption shares with the question (``choose_table``); the
special readings beside it (a caption's subject dropped, a share of another named row, a measure another table
prints) are here too. ``tableparse`` parses the question and builds the ``TableQuery`` from the choice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry, Mention
from reportqa.query.lexicon.question_words import hinted_units, question_words
from reportqa.query.lexicon.tablewords import (
    GENERIC_FORMS,
    ROW_KINDS,
    wording_metric,
)
from reportqa.query.tables.query import Op, TableQuery
from reportqa.query.views.tableschema import (
    family_matches,
    level_metrics,
    metric_groups,
    metric_of,
    resolve_row,
    table_years,
    total_row,
    unit_family,
)
from reportqa.records import Language, Table


@dataclass
class ParsedQuestion:
    """A question read against a report's glossary: its rows, measures, other entities, years and leftovers."""

    rows: list[GlossaryEntry]
    metrics: list[GlossaryEntry]
    entities: list[Mention]
    years: list[int]
    unknown: list[str]
    generic: bool = False
    wording: str = ""
    question: str = ""


_W = question_words()


def _wording_overlap(wording: str, printed: str) -> float:
    """Share of the question's leftover Chinese characters that a table's caption and headers print: with no measure
    named, '共享住宿22年融到多少钱' reads the table on 直接融资, not the first table with the row."""
    chars = [ch for ch in wording if "\u4e00" <= ch <= "\u9fff"]
    return sum(ch in printed for ch in chars) / len(chars) if chars else 0.0


def _paraphrases_caption(word: str, caption: str) -> bool:
    """A Chinese word whose characters all stand in the caption and that shares a two-character word with it."""
    return len(word) >= 2 and all(ch in caption for ch in word) and any(word[i:i + 2] in caption for i in range(len(word) - 1))


def _names_row_kind(word: str, question: str, caption: str) -> bool:
    """'哪个地区' of a table '分区域…': the word names the kind of row the table is by (package data ``row_kinds``)."""
    return any(word in words and pattern.search(question) and any(w in caption for w in words) for pattern, words in ROW_KINDS)


def caption_subject_dropped(tables: list[Table], p: ParsedQuestion, metric_entries: list[GlossaryEntry], glossary: Glossary,
                             growth: bool, op: Op = "value") -> tuple[Table, list[str], str] | None:
    """'通过<row A>的<row B>': when row B is what a table's caption says the whole table is about, it is the table's
    subject, and the question asks for row A's figure in that table."""
    for table in tables:
        caption = table.caption
        labels = {r.label for r in table.rows}
        # (the home country this table does not print as a row is the figure's scope: '全国<row B>' is row B's)
        subject = [r for r in p.rows if any(f and f in caption for f in r.forms_zh)]
        kept = [r for r in p.rows if r not in subject and (r.term in labels or not frame_words().home_place.fullmatch(r.term))]
        if kept and subject:
            best = choose_table([table], replace(p, rows=kept), metric_entries, glossary, op=op, growth=growth)
            if best is not None:
                return best
    return None


def _head_measure(table: Table, entries: list[GlossaryEntry], found: list[str | None], question: str) -> str | None:
    """The measure asked when the question names several this table prints: a rate named beside a level
    ('用户的网民普及率', 'user penetration rate') is the rate of that level, so the rate is asked, unless the
    question asks for both ('用户规模及普及率'); otherwise the first named."""
    shares = {c.metric for c in table.columns if c.kind == "share"}
    rates = [f for e, f in zip(entries, found) if f in shares and e.term.endswith(_W.rate_suffixes)]
    if rates and len(set(found)) > 1 and not _W.two_asks.search(question):
        return rates[0]
    return found[0]


def _row_measure(table: Table, metric: GlossaryEntry) -> tuple[GlossaryEntry, str] | None:
    """A measure named as a row plus a measure suffix ('规范渠道回收量' where the table's row is '规范渠道回收' and
    its columns are levels): that row and the table's first level column."""
    levels = level_metrics(table)
    if not levels:
        return None
    for row in table.rows:
        # (a rate suffix names the row's rate, which the level columns do not print: '规范渠道回收率')
        if any(f != row.label and f.startswith(row.label) and len(f) - len(row.label) <= 1
               and not f.endswith(_W.rate_suffixes) for f in metric.forms_zh):
            return GlossaryEntry(row.label, (), (), "row"), levels[0]
    return None


def _named_before_share(question: str, part: GlossaryEntry, other: GlossaryEntry) -> bool:
    """Whether ``part`` is named before the share word and ``other`` after it ('规范渠道回收量占退役总量的比例')."""
    at = lambda e: min((i for f in e.forms_zh if f and (i := question.find(f)) >= 0), default=-1)  # noqa: E731
    share = question.find("占")
    a, b = at(part), at(other)
    return 0 <= a < share < b


def share_of_row(question: str, lang: Language, tables: list[Table], asked: list[GlossaryEntry],
                  measures: list[GlossaryEntry], years: list[int], glossary: Glossary) -> TableQuery | None:
    """'<row A>和<row B>合计占<row C>量的比重': the share of a row of the same table that the question names as a
    measure (规范渠道回收量 is the row 规范渠道回收 read in the level column), not of the total row."""
    for table in tables:
        for measure in measures:
            found = _row_measure(table, measure)
            if found is None:
                continue
            whole, metric = found[0].term, found[1]
            rows = [label for entry in asked for label in [resolve_row(table, entry, glossary)] if label]
            if len(rows) < len(asked) or whole in rows:
                continue
            if len(rows) == 1 and _named_before_share(question, measure, asked[0]):
                rows, whole = [whole], rows[0]  # '<row A>量占<row B>的比例': the measure named first is the part
            query = TableQuery(question=question, language=lang, op="share_of_total", table_id=table.id, rows=rows,
                               metric=metric, years=years, combine=len(rows) > 1, asked_rows=[e.term for e in asked],
                               asked_metric=measure.term, covered_years=table_years(table), whole_row=whole)
            outside = [y for y in years if y not in table_years(table)]
            if outside:
                query.missing = f"{table.id} gives no {'/'.join(map(str, outside))} figure"
            return query
    return None


def measure_of_other_table(tables: list[Table], p: ParsedQuestion, measure: GlossaryEntry,
                            glossary: Glossary) -> tuple[Table, list[str], str] | None:
    """'retired volume that went to <row>': a measure printed only by another table than the one holding the named row
    is that row's level when both are printed in one unit (万吨 and 万吨): the measure names the quantity, the row where
    it went. None when the units differ or no table holds the row."""
    named = ((t, metric_of(t, measure, glossary)) for t in tables)
    units = {c.unit for t, metric in named if metric is not None for c in t.columns if c.metric == metric and c.unit}
    if not units:
        return None
    best = choose_table(tables, replace(p, metrics=[]), [], glossary, op="value")
    if best is None:
        return None
    table, rows, metric = best
    level = {c.unit for c in table.columns if c.metric == metric and c.unit}
    return best if level and level <= units else None


def choose_table(
    tables: list[Table], p: ParsedQuestion, metric_entries: list[GlossaryEntry], glossary: Glossary, *, op: Op,
    growth: bool = False,
) -> tuple[Table, list[str], str] | None:
    """Best table holding the asked rows + metric (+ years); ties go to the earlier table.

    No named row means the table's total row (the whole economy), or every row for a ranking —
    only when a metric was named and nothing else in the question is an unknown subject.
    """
    scored: list[tuple[float, int, Table, list[str], str]] = []
    asked = [r for r in p.rows if r.term != "总计"] or ([] if op in ("rank", "sum") else list(p.rows))
    named = bool(metric_entries) or growth
    for order, table in enumerate(tables):
        here = asked
        printed = "".join([table.caption, *(t for c in table.columns for t in (c.metric, *c.header))])
        # '共享型服务' in 表2's caption is known there; so is '电池类型' beside a caption on '分类型…动力电池'
        unknown = [u for u in p.unknown if u not in printed and not _paraphrases_caption(u, table.caption)
                   and not _names_row_kind(u, p.question, table.caption)]
        labels = {r.label for r in table.rows}
        if len(here) > 1:  # '全国退役动力电池': the home country beside another row, not printed here, is its scope
            here = [e for e in here if e.term in labels or not frame_words().home_place.fullmatch(e.term)] or here
        category = any(e.related and any(f in labels for f in e.forms_zh) for e in asked)  # 住宿 (not 共享住宿)
        worded = wording_metric(metric_groups(table), p.wording, category=category) if (p.generic and not growth) else None
        named_here = named or bool(worded)
        if (not named_here and (unknown or not asked)) or (not asked and unknown):
            continue
        if growth and not any(c.kind == "growth" for c in table.columns):
            continue
        if worded:
            metric = worded  # 'average person spend on ride-hailing' → the spending column the words point at
        elif metric_entries:
            found = [metric_of(table, m, glossary) for m in metric_entries]
            row_measure = _row_measure(table, metric_entries[0]) if found[0] is None else None
            if row_measure is not None and (not here or op == "minus"):
                # '表1规范渠道回收量': the row, read in its level column (first, when others are taken from it)
                here, metric = [row_measure[0], *here], row_measure[1]
            elif row_measure is not None and any(e.term == row_measure[0].term or resolve_row(table, e, glossary) == row_measure[0].term
                                                 for e in here):
                metric = row_measure[1]  # 'compliant-channel collection volume': the row named as row and as measure
            elif any(f is None for f in found):
                if not ((p.generic or all(m.term in GENERIC_FORMS for m in metric_entries)) and level_metrics(table)):
                    continue
                metric = level_metrics(table)[0]  # 'volume', 'size': the table's own level, whatever it calls it
            else:
                metric = _head_measure(table, metric_entries, found, p.question)
        else:
            names = level_metrics(table)
            # (a rate or a multiple is computed; 'how many' alone names no unit)
            wanted = hinted_units(p.question)
            wanted = [] if any(f in ("percent", "pp", "ratio", "count", "count:*") for f in wanted) else list(wanted)
            if wanted:  # 'how many people worked in <row>': the level this table prints in people, if any
                names = [m for m in names if any(family_matches(unit_family(c.unit), wanted)
                                                 for c in table.columns if c.metric == m and c.unit)]
            if not names:
                continue
            metric = names[0]
        if not metric_entries:
            # '华南…正规渠道回收了多少': a named row this table lacks whose name starts one of its measures
            # (规范渠道回收 → 规范渠道回收量) is that measure here, not a row
            labels_here = {r.label for r in table.rows}
            as_measure = [(e, m) for e in here if e.term not in labels_here
                          for m in level_metrics(table) if any(m.startswith(f) and m != f for f in e.forms_zh)]
            if as_measure and len(as_measure) < len(here):
                metric = as_measure[0][1]
                here = [e for e in here if e is not as_measure[0][0]]
        rows = [label for entry in here for label in [resolve_row(table, entry, glossary)] if label]
        if len(rows) < len(here):
            continue
        rows = list(dict.fromkeys(rows))
        if op == "share_of_total" and total_row(table) is None:
            continue
        if not here and op == "sum" and len(p.years) >= 2 and total_row(table):
            rows = [total_row(table) or ""]  # '2020-2022年直接融资累计': the total row over the years
        elif not here and op == "sum" and total_row(table) and len(p.years) < 2:
            rows = [total_row(table) or ""]  # '2022年…一共融资多少': the total row prints the sum of every row
        elif not here and op == "sum":
            rows = [r.label for r in table.rows if not r.is_total]  # '表2三类…合计': every row
        elif not here and op != "rank":
            total = total_row(table)
            if total is None:
                continue
            rows = [total]
        years_ok = all(y in table_years(table) for y in p.years)
        kind = 0.25 * any(any(w in table.caption for w in words) for pattern, words in ROW_KINDS if pattern.search(p.question))
        scored.append((2.0 * named_here + 1.0 * years_ok + 0.5 * _wording_overlap(p.wording, printed) + kind, -order,
                       table, rows, metric))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    _, _, table, rows, metric = scored[0]
    return table, rows, metric
