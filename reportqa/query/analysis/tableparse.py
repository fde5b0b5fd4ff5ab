"""Parse a question into a TableQuery resolved against the parsed tables (rows, metric, years, operation).

Row labels and metrics come from the tables and the glossary; the operation from a small bilingual
vocabulary of question words. Nothing here knows a particular report or question.
"""

from __future__ import annotations

import re
from dataclasses import replace

from reportqa.query.analysis.tablechoice import (
    ParsedQuestion,
    caption_subject_dropped,
    choose_table,
    measure_of_other_table,
    share_of_row,
)
from reportqa.query.lexicon.frames import frame_words
from reportqa.query.lexicon.glossary import Glossary, GlossaryEntry, Mention
from reportqa.query.lexicon.language import detect_language
from reportqa.query.lexicon.question_words import question_words
from reportqa.query.lexicon.segment import only_wording
from reportqa.query.lexicon.tablewords import (
    ABSOLUTE,
    ASCENDING,
    BY_PERCENT,
    CAGR,
    CHANGE,
    COMPARE,
    DECLINE,
    EN_STOP,
    EXTREME,
    GENERIC_FORMS,
    GROWTH,
    MINUS,
    ORDINAL,
    RANK,
    RATE_WORD,
    RATIO,
    SHARE_WORD,
    SUB_ANNUAL,
    SUM,
    TOTAL_WORD,
    UNIT_TERMS,
    WHY,
    YEAR,
    ZH_FILLER,
    metric_wording,
    named_table,
    ordinal_position,
    paraphrase_blanked,
    question_years,
    top_n,
)
from reportqa.query.tables.conditions import find_condition, rows_where
from reportqa.query.tables.exclusion import blank, find_exclusion
from reportqa.query.tables.notes import difference_query
from reportqa.query.tables.plans import cross_query, in_brackets, two_column_figure
from reportqa.query.tables.query import Op, RankBy, TableQuery
from reportqa.query.views.tableschema import (
    metric_of,
    resolve_row,
    table_glossary,
    table_years,
    total_row,
)
from reportqa.records import Table

_W = question_words()
_UNIT_ALONE = re.compile(r"(?<![\u4e00-\u9fff])[万亿千百]*(?:元|吨|人次|人)(?![\u4e00-\u9fff])|(?<=多少)[万亿千百]+(?:元|吨|人次|人)")


def unknown_subjects(question: str, mentions: list[Mention]) -> list[str]:
    """Content left after removing glossary terms, years, numbers and question words: subjects we do not know."""
    chars = list(question)
    for m in mentions:
        for i in range(m.start, m.end):
            chars[i] = " "
    rest = YEAR.sub(" ", "".join(chars))
    rest = re.sub(r"\d+(?:\.\d+)?%?|[一二三四五六七八九十两]+[类个项种大地省市家者]", " ", rest)
    rest = _UNIT_ALONE.sub(" ", rest)  # a unit on its own ('有多少万吨') names no subject
    unknown = [w for w in re.findall(r"[\u4e00-\u9fff]+", ZH_FILLER.sub(" ", rest))
               if len(w) >= 2 and not only_wording(w, question_words().function_tags)]
    for word in re.findall(r"[A-Za-z][A-Za-z'\-]*", rest):
        w = re.sub(r"['’]s$", "", word.lower()).strip("'-")  # "sector's" is 'sector'
        if len(w) > 2 and w not in EN_STOP and w.rstrip("s") not in EN_STOP:
            unknown.append(word)
    return unknown


_MODIFIER_FORMS = {"规模", "per-capita", "per capita", "size", "scale"}  # metric aliases that may only qualify another


def _merge_related(rows: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """One entry for rows named together with a related row ('在线外卖（餐饮共享型服务）' is one subject)."""
    out: list[GlossaryEntry] = []
    for r in rows:
        if not any(r.term in o.related or o.term in r.related for o in out):
            out.append(r)
    return out


def _blanked(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _generic(m: Mention) -> bool:
    return m.entry.kind == "metric" and re.sub(r"[\s-]+", " ", m.text.lower()) in GENERIC_FORMS


def _parse(question: str, glossary: Glossary) -> ParsedQuestion:
    text = _blanked(question, BY_PERCENT)  # 'by what percentage' asks a rate, not a share
    mentions = _row_measures(glossary.find(text), glossary)
    residue = YEAR.sub("", "".join(ch for i, ch in enumerate(text)
                                    if not any(m.start <= i < m.end and m.entry.kind == "row" for m in mentions)))
    wording = metric_wording(ZH_FILLER.sub("", residue))
    if not any(m.entry.kind == "metric" and not _generic(m) for m in mentions):
        # '人均餐饮消费支出': the metric name reads once row words and years are taken out of it
        found = [m for m in glossary.find(residue) if m.entry.kind == "metric" and not _generic(m)]
        if found:
            keep = [m for m in mentions if m.entry.kind != "metric"]
            mentions = keep + found
            question_for_unknown = paraphrase_blanked(_blanked(residue, ORDINAL))
            rest = [m for m in glossary.find(question_for_unknown) if m.entry.kind != "row"]
            return _finish(question, mentions, own_words_dropped(unknown_subjects(question_for_unknown, rest), glossary), wording)
    return _finish(question, mentions, own_words_dropped(unknown_subjects(paraphrase_blanked(_blanked(question, ORDINAL)), mentions), glossary), wording)


def _row_measures(mentions: list[Mention], glossary: Glossary) -> list[Mention]:
    """A row followed by a generic measure ('regulated-channel recovery volume') is the measure the glossary names
    as that row plus a measure suffix (规范渠道回收 + 量 = 规范渠道回收量), as Chinese writes it in one word."""
    measures = {e.term: e for e in glossary.entries if e.kind == "metric"}
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if nxt is not None and m.entry.kind == "row" and _generic(nxt) and nxt.start - m.end <= 1:
            joined = next((measures[m.entry.term + s] for s in ("量", "额", "数") if m.entry.term + s in measures), None)
            if joined is not None:
                out.append(replace(m, entry=joined, end=nxt.end, text=m.text + " " + nxt.text))
                i += 2
                continue
        out.append(m)
        i += 1
    return out


def own_words_dropped(words: list[str], glossary: Glossary) -> list[str]:
    """Unknown words less the report's own English vocabulary: a word of a row or measure alias ('sharing' of
    'sharing economy') is the report's subject matter, not some other subject."""
    own = glossary.memo("row and measure alias words", lambda: _alias_words(glossary))
    return [w for w in words if not (w.isascii() and w.lower().rstrip("s") in own)]


def _alias_words(glossary: Glossary) -> frozenset[str]:
    """The words (3+ letters, lowercased) of the row and measure aliases, each also without a final 's'."""
    own = {t for e in glossary.entries if e.kind in ("row", "metric") for a in e.english
           for t in re.findall(r"[a-z]+", a.lower()) if len(t) > 2}
    return frozenset(own | {t.rstrip("s") for t in own})


def sum_word_rows(mentions: list[Mention]) -> list[Mention]:
    """Row mentions that are the word for a sum ('合计', '加起来') beside another named row: in
    '梯次利用量合计' the word asks for a sum, it does not name the table's total row."""
    words = [m for m in mentions if m.entry.kind == "row" and SUM.fullmatch(m.text)]  # 'total X' is the total row
    return words if any(m.entry.kind == "row" and m not in words for m in mentions) else []


def _finish(question: str, mentions: list[Mention], unknown: list[str], wording: str) -> ParsedQuestion:
    sum_words = sum_word_rows(mentions)
    mentions = [m for m in mentions if m not in sum_words]
    rows: list[GlossaryEntry] = []
    metrics: list[GlossaryEntry] = []
    entities: list[Mention] = []
    for m in mentions:
        if m.entry.kind == "row" and m.entry not in rows:
            rows.append(m.entry)
        elif m.entry.kind == "metric" and m.entry not in metrics:
            metrics.append(m.entry)
        elif m.entry.kind in ("company", "term"):
            entities.append(m)
    bare = {m.entry.term for m in mentions if m.entry.kind == "metric" and m.text.lower() in _MODIFIER_FORMS} - \
        {m.entry.term for m in mentions if m.entry.kind == "metric" and m.text.lower() not in _MODIFIER_FORMS}
    if len(metrics) > 1 and bare and len(bare) < len(metrics):
        metrics = [e for e in metrics if e.term not in bare]  # '直接融资规模', 'per-capita shared-service spending'
    generic = all(_generic(m) for m in mentions if m.entry.kind == "metric" and m.entry in metrics)
    return ParsedQuestion(_merge_related(rows), metrics, entities, question_years(question), unknown, generic, wording, question)


_COUNT_WORDS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "two": 2, "three": 3, "four": 4, "five": 5}


def year_count(question: str) -> int:
    """How many years a question spans without naming them ('三年', 'the three years', 'over 3 years'), else 0."""
    m = _W.year_count.search(question)
    if m is None:
        return 0
    n = next((g for g in m.groups() if g), "").lower()  # (each language's pattern has its own group)
    return int(n) if n.isdigit() else _COUNT_WORDS.get(n, 0)


def _operation(question: str, n_rows: int, n_years: int) -> tuple[Op, RankBy, str, int | None]:
    """(op, rank_by, order, top_n) from the question words."""
    n_top = top_n(question)
    position = ordinal_position(question)
    decline = bool(DECLINE.search(question))
    growthy = bool(GROWTH.search(question))
    if CAGR.search(question) and n_years >= 2 and n_rows <= 1:
        return "cagr", "level", "desc", None
    if MINUS.search(question) and n_rows >= 2:
        return "minus", "level", "desc", None
    if MINUS.search(question) and n_rows <= 1 and n_years == 2:
        return "change", "change", "desc", None  # '<row> 2023 minus 2021': one row's change, whatever '+' its name has
    if RATIO.search(question) and (n_rows >= 2 or n_years >= 2):
        return "ratio", "level", "desc", None
    # 'the top three sectors (A, B, C)': rows the question names as the top N are given; it asks something else of them
    named_top = bool(n_top) and n_rows >= 2 and n_top == n_rows
    if (RANK.search(question) or n_top or position) and not (COMPARE.search(question) and n_rows == 2) and not named_top:
        by: RankBy = "level"
        if decline or growthy or (ABSOLUTE.search(question) and CHANGE.search(question)):  # ('增加得最多')
            by = "change" if ABSOLUTE.search(question) else "growth"
        ascending = ASCENDING.search(question) or (position and position[1])
        order = "asc" if (ascending or (decline and by != "level")) else "desc"
        return "rank", by, order, n_top
    if COMPARE.search(question) and (n_rows >= 2 or (n_years >= 2 and not CHANGE.search(question))):
        by = "growth" if growthy and RATE_WORD.search(question) else "level"
        return "compare", by, "desc", None
    if (CHANGE.search(question) or growthy) and SUM.search(question) and n_years >= 2 and n_rows <= 1:
        # '2021到2023年一共增加了多少': the change over the span, not a sum ('by what percentage … in total': its growth)
        return ("growth", "growth", "desc", None) if RATE_WORD.search(question) else ("change", "change", "desc", None)
    over_years = (bool(TOTAL_WORD.search(question)) and n_years >= 2 and n_rows <= 1  # 'total X from 2021 to 2023'
                  and not (CHANGE.search(question) or growthy or decline))  # not 'how much did total X grow'
    if (SUM.search(question) or over_years) and (n_rows >= 2 or n_years >= 2 or n_rows == 0):
        return "sum", "level", "desc", None
    if growthy and RATE_WORD.search(question):
        return "growth", "growth", "desc", None
    if CHANGE.search(question) or growthy or decline:
        return "change", "change", "desc", None
    return "value", "level", "desc", None


def parse_table_query(question: str, tables: list[Table], glossary: Glossary) -> TableQuery | None:
    """Resolve a question against the tables; None when it is not a table question.

    A query whose row and metric resolve but whose years the table lacks comes back with
    ``missing`` set (the caller answers "the report does not say").
    """
    if not tables:
        return None
    glossary = table_glossary(tables, glossary)
    defined = difference_query(question, tables, glossary, question_years(question))
    if defined is not None:
        return defined  # '期末库存': what a table note defines as one row less the others
    excl = find_exclusion(question, glossary.find(question))
    text = blank(question, excl.spans) if excl else question  # the rest is parsed as usual
    condition = find_condition(text)
    plain = blank(text, condition.spans) if condition else text  # the condition's words name no subject nor operation
    p = _parse(plain, glossary)
    if any(m.entry.kind == "company" for m in p.entities):
        return None
    lang = detect_language(question)
    share_word = bool(SHARE_WORD.search(_blanked(text, BY_PERCENT)))
    total_word = bool(TOTAL_WORD.search(text))
    explicit = [m for m in p.metrics if m.term != "同比增速"]
    bracketed = {m.entry.term for m in glossary.find(text) if m.entry.kind == "metric" and in_brackets(text, m.start)}
    explicit.sort(key=lambda e: e.term not in bracketed)  # 'spending on X (shared-service spending)': the bracket refines
    growth_only = (bool(p.metrics) or condition is not None) and not explicit  # '增速超过15%的领域': the growth column
    # 'which sector grew fastest', '哪个领域增长最快': a ranking by a growth verb, with no measure named, is the growth column
    # (a row the tables' captions are about names no row: 'which sharing-economy sector shrank the most')
    all_captions = "".join(t.caption for t in tables)
    about = [r for r in p.rows if any(f and f in all_captions for f in r.forms_zh)]
    growth_only = growth_only or (not explicit and len(about) == len(p.rows) and bool(EXTREME.search(plain))
                                  and bool(GROWTH.search(plain) or DECLINE.search(plain)))  # ('跌得最狠': fell the most)
    if not p.rows and not explicit and not growth_only:
        return None
    if WHY.search(text) or SUB_ANNUAL.search(text):
        return None  # reasons want the report's explanation; a quarter or month is not in an annual table
    wanted = named_table(text)
    if wanted:
        tables = [t for t in tables if t.id == wanted] or tables
        if len(tables) == 1:  # a row of another table beside one of the named table's modifies it ('ride-hailing travel
            labels = {r.label for r in tables[0].rows}  # spending in Table 3': 交通出行 is table 1's row, not this one's)
            inside = [r for r in p.rows if r.term in labels]
            if inside and len(inside) < len(p.rows):
                p.rows[:] = inside
    captions = "".join(t.caption for t in tables)
    # a term the tables' captions name ('battery' in a table of battery types) is what the tables are about
    entities = [m for m in p.entities if m.entry.term not in UNIT_TERMS and not any(f in captions for f in m.entry.forms_zh)
                and not (SUM.fullmatch(m.text) and (p.rows or p.metrics))  # '累计' beside a measure asks for a sum
                and not (frame_words().is_period(m.entry.term) and not SUM.search(plain))]
    # ('2023年底', '全年': the year's figure — a part of a year is no annual table's, SUB_ANNUAL above; '截至2023年底累计'
    # is a cumulative stock, no year's)
    if entities and not explicit:
        return None  # the question is about some other quantity (platform counts, revenue, riders ...)

    asked_rows = [r for r in p.rows if r.term != "总计"]
    span = 0 if p.years else year_count(plain)  # '三年产值加起来', 'over the three years': the table's last N years
    op, rank_by, order, top_n = _operation(plain, len(asked_rows), len(p.years) or span)
    if excl.rows and not asked_rows and op in ("value", "change"):
        op = "sum"  # '除X以外的领域交易额': the other rows together
    non_share = [m for m in explicit if not SHARE_WORD.search(m.term)]
    if share_word and asked_rows and op in ("value", "sum", "share_of_total"):
        of_row = share_of_row(question, lang, tables, asked_rows, non_share, p.years, glossary)
        if of_row is not None:
            return of_row
    # A share word next to a level metric or 'total' (交易额占总计的比重) asks for a share of the total row;
    # otherwise it names a printed share column (共享型服务支出占比) — each plan falls back to the other.
    share_op: Op = "share_of_total" if op in ("value", "change", "growth", "sum") else op
    plans: list[tuple[list[GlossaryEntry], Op]] = [(explicit, op)]
    together = op == "rank" and (top_n or 0) >= 2 and bool(SUM.search(plain) or TOTAL_WORD.search(plain))
    # ('the top three together account for what share', 'which sector had the largest share' of a table printing no
    # shares: ranked by level, then each share of the total)
    if share_word and (op != "rank" or together or not condition):
        share_plan = (non_share, share_op)
        named_total = len(asked_rows) < len(p.rows)  # '<row>在<the whole>里占几成': the whole is the total row
        # a rate the report names and a table prints ('网民普及率') is that column, not a share of a total
        printed = any(m.term not in _W.share_forms and SHARE_WORD.search(m.term)
                      and any(metric_of(t, m, glossary) in {c.metric for c in t.columns if c.kind == "share"} for t in tables)
                      for m in explicit)
        # (with no measure named, the share word is the measure: '华北规范渠道回收的电池占全国的百分之多少')
        first = (non_share or total_word or named_total or not explicit) and not printed and (op != "rank" or together)
        plans = [share_plan, *plans] if first else [*plans, share_plan]  # (a ranking reads a printed share column first)
    best = None
    for metric_entries, plan_op in plans:
        best = None
        if plan_op in ("value", "share_of_total", "sum") and len(p.rows) > 1:
            best = caption_subject_dropped(tables, p, metric_entries, glossary, growth_only, plan_op)
        best = best or choose_table(tables, p, metric_entries, glossary, op=plan_op, growth=growth_only)
        if best is None and plan_op in ("value", "share_of_total", "sum") and len(p.rows) > 1 and metric_entries:
            # 'share of per-capita travel spending that went to ride-hailing': a row word used as a modifier of a
            # named measure (with no measure named, the other row word is the measure: '<region> <row>量' is not
            # answered by the region's default column); '西南一共有多少个回收废电池的网点' is one row's, not a sum
            for keep in p.rows:
                one_op: Op = "value" if plan_op == "sum" and len(p.years) < 2 else plan_op
                best = choose_table(tables, replace(p, rows=[keep]), metric_entries, glossary, op=one_op, growth=growth_only)
                if best is not None:
                    plan_op = one_op
                    break
        if best is not None:
            op = plan_op
            break
    if best is None and explicit and asked_rows and op == "value":
        best = measure_of_other_table(tables, p, explicit[0], glossary)
    if best is None:
        return cross_query(question, text, lang, tables, [r for r in p.rows if r.term != "总计"], p.years, p.wording,
                           explicit, glossary, share_word)
    table, rows, metric = best
    then: Op | None = None
    shares = {c.metric for c in table.columns if c.kind == "share"}
    if op == "rank" and share_word and metric not in shares and total_row(table) is not None:
        then = "share_of_total"  # '排前三的区域加起来占全国多少', 'which had the largest share': ranked, then shares
    elif together:
        then = "sum"  # 'the top three together': their sum
    if op == "rank" and rows and all(r == total_row(table) for r in rows):
        rows = []  # ('…占全国', 'which region had the highest share of <the whole>': the whole is the base, its parts are ranked)
    if condition is not None and not asked_rows:
        year = p.years[-1] if p.years else (table_years(table) or [None])[-1]
        picked = rows_where(table, metric, year, condition)
        if not picked:
            return None
        rows = picked
        if op in ("value", "rank") and (TOTAL_WORD.search(plain) or SUM.search(plain)):
            op = "sum"  # 'total consumption of the sectors whose growth exceeded 15%'
        if op in ("value", "rank"):
            op, rank_by, order = "rank", "growth", ("asc" if condition.cmp == "<" else "desc")
            top_n = top_n or (None if EXTREME.search(plain) else len(picked))  # 'which sectors fell' lists them all
        elif op == "sum" and (CHANGE.search(plain) or DECLINE.search(plain)):
            op = "change"  # '下降的那几个领域加起来一共少了多少': the rows' changes, summed
    shares = {c.metric for c in table.columns if c.kind == "share"}
    if rows and all(r == total_row(table) for r in rows) and (op == "share_of_total" or metric in shares):
        return None  # the whole's share of itself (100%) answers nothing: the question asks about something else
    if op == "sum" and rows == [total_row(table)] and len(p.years) < 2 and span < 2 and not excl.rows:
        op = "value"  # one year of the total row is read, not summed
    printed = "".join([table.caption, *(t for c in table.columns for t in (c.metric, *c.header))])
    if any(not any(f in printed for f in m.entry.forms_zh) for m in entities):
        return None  # e.g. 客运量占比: a share of something the table does not measure
    covered = table_years(table)
    # a sum over N years adds N years' figures; a change over N years ('两年涨了多少') runs across N intervals, from
    # the year N before the last (the table's first year at most)
    reach = {"sum": span, "change": span + 1, "growth": span + 1, "cagr": span + 1}.get(op, 0)
    years = p.years or (covered[-reach:] if span >= 2 and reach else [])
    excluded = [label for e in excl.rows for label in [resolve_row(table, e, glossary)] if label]
    if excluded and rows and all(r == total_row(table) for r in rows) and op in ("value", "sum"):
        op = "sum"  # '除X外其余环节产值合计' names the total row's label ('合计') as its sum word: the others together
    if excluded and op in ("sum", "share_of_total") and (not asked_rows or all(r == total_row(table) for r in rows)):
        rows = [r.label for r in table.rows if not r.is_total and r.label not in excluded]
    query = TableQuery(
        question=question, language=lang, op=op, table_id=table.id, rows=rows, metric=metric, years=years,
        year_order=question_years(text, mention_order=True),
        rank_by=rank_by, order=order, top_n=top_n, absolute=bool(ABSOLUTE.search(text)),
        combine=(bool(SUM.search(text)) or bool(excluded) or (condition is not None and op in ("sum", "change"))) and len(rows) > 1,
        asked_rows=[r.term for r in p.rows], asked_metric=(metric_entries[0].term if metric_entries else None),
        covered_years=covered, position=(pos[0] if (pos := ordinal_position(text)) and op == "rank" else None),
        wording=p.wording, excluded=excluded, then=then,
    )
    two_column_figure(query, table, excl, text, glossary)
    outside = [y for y in years if y not in covered]
    if outside:
        span = f"{covered[0]}–{covered[-1]}" if len(covered) > 1 else (str(covered[0]) if covered else "no year")
        query.missing = f"{table.id} covers {span}; the report gives no {'/'.join(map(str, outside))} figure"
    return query
