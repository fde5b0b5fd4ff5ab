"""Answer wording: the report's figure and unit, English conversions, and one sentence per table operation."""

from __future__ import annotations

from dataclasses import replace

from reportqa.numeric import round_half_up
from reportqa.query.lexicon.glossary import Glossary
from reportqa.query.tables.quantities import figure_text, quantity_en, quantity_zh
from reportqa.query.tables.tableops import growth_column
from reportqa.query.tables.tableqa import Figure, TableResult
from reportqa.query.views.tableschema import total_row
from reportqa.records import Cell, Language, Table


def row_name(label: str, lang: Language, glossary: Glossary) -> str:
    """Row label as a subject: '共享住宿' / 'shared accommodation (共享住宿)'; the total row names the whole economy."""
    if lang == "zh":
        return "合计" if label in ("总计", "合计") else label
    if label in ("总计", "合计"):
        return "the total"
    return f"{glossary.english(label)} ({label})"


def metric_name(metric: str, lang: Language, glossary: Glossary) -> str:
    """'共享经济交易额' / 'transaction volume'."""
    if lang == "zh":
        return metric
    entry = glossary.lookup(metric)
    if entry is None:
        named = [m.entry for m in glossary.find(metric) if m.entry.kind == "metric"]
        entry = named[-1] if named else None
    return entry.name_en if entry else metric


def source_note(table: Table, fig: Figure | None, lang: Language) -> str:
    """'表1《…》' / '表1 “…”' plus row/column for a single cell."""
    cell = fig.cells[0] if fig is not None and len(fig.cells) == 1 else None
    if lang == "zh":
        where = f"，{cell.row}行，{cell.column}列" if cell else ""
        return f"（{table.id}《{table.caption}》{where}）"
    where = f", row {cell.row}, column {cell.column}" if cell else ""
    return f" ({table.id} “{table.caption}”{where})"


def _year(fig: Figure) -> str:
    return str(fig.year) if fig.year else ""


def table_answer(result: TableResult, lang: Language, glossary: Glossary) -> str:
    """One or two sentences answering a table question, with the derivation of computed figures."""
    table = result.table
    assert table is not None
    q = result.query
    metric = metric_name(q.metric or "", lang, glossary)
    figs = result.figures
    op = result.op
    zh = lang == "zh"
    if op == "rank":
        return _rank_text(result, metric, lang, glossary)
    if result.ranking:  # the top N of a ranking, taken together ('排前三的加起来', 'which had the largest share')
        return _ranked_lead(result, metric, lang, glossary) + table_answer(replace(result, ranking=[]), lang, glossary)
    if op in ("remainder", "implied", "cross", "per") and len(figs) == 3:
        return _derived_text(result, lang, glossary)
    if op == "compare" and result.winner:
        a, b, gap = figs
        hi, lo = (a, b) if (a.label == result.winner or str(a.year) == result.winner) else (b, a)
        what = metric if q.rank_by == "level" else (f"{metric}同比增速" if zh else f"{metric} growth")
        more = "高" if gap.unit == "个百分点" else "多"
        gap_zh = figure_text(gap, "zh")
        same_year = hi.year == lo.year
        yr = f"{hi.year}年" if (same_year and hi.year) else ""
        if zh:
            return (f"{yr}{_name(hi, same_year, lang, glossary)}的{what}比{_name(lo, same_year, lang, glossary)}{more}{gap_zh}"
                    f"（= {arithmetic(gap)}；{_name(hi, same_year, lang, glossary)}{figure_text(hi, lang)}，"
                    f"{_name(lo, same_year, lang, glossary)}{figure_text(lo, lang)}）。{source_note(table, None, lang)}")
        gap_en = figure_text(gap, lang) if gap.unit in ("个百分点", "%", None) or gap.interval is not None else \
            quantity_en(gap.printed, gap.unit, zh_prefix=more)
        when = f"In {hi.year}, " if (same_year and hi.year) else ""
        return (f"{when}the {what} of {_name(hi, same_year, lang, glossary)} was {figure_text(hi, lang)} and that of "
                f"{_name(lo, same_year, lang, glossary)} was {figure_text(lo, lang)}: "
                f"{_name(hi, same_year, lang, glossary)} was higher by {gap_en} (= {arithmetic(gap)}).{source_note(table, None, lang)}")
    if op == "sum" and len(figs) >= 3 and len({f.label for f in figs[:-1]}) == 1 and all(f.year for f in figs[:-1]):
        return _years_sum_text(result, metric, lang, glossary)
    if op == "sum" and len(figs) >= 3:
        total, parts = figs[-1], figs[:-1]
        same_year = len({f.year for f in parts}) == 1
        yr = str(parts[0].year) if (same_year and parts[0].year) else ""
        names_zh = ("与" if len(parts) == 2 else "、").join(_name(f, same_year, "zh", glossary) for f in parts)
        listing = "，".join(f"{_name(f, same_year, lang, glossary)}{figure_text(f, lang)}" for f in parts) if zh else \
            "; ".join(f"{_name(f, same_year, lang, glossary)} {figure_text(f, lang)}" for f in parts)
        if zh:
            joined = figure_text(total, lang)
            joined = joined if joined.startswith("不足") else f"为{joined}"
            return (f"{yr + '年' if yr else ''}{names_zh}的{metric}合计{joined}"
                    f"（= {arithmetic(total)}；{listing}）。{_excluded(result, lang, glossary)}{source_note(table, None, lang)}")
        metric_zh = q.metric or ""
        if total.interval is not None:
            total_en = figure_text(total, lang)
        else:
            total_en = quantity_en(total.printed, total.unit, zh_prefix=f"{names_zh}的{metric_zh}合计为")
        names_en = " and ".join(_name(f, same_year, lang, glossary) for f in parts)
        return (f"{'In ' + yr + ', ' if yr else ''}the {metric} of {names_en} came to {total_en} together "
                f"(= {arithmetic(total)}; {listing}).{_excluded(result, lang, glossary)}{source_note(table, None, lang)}")
    if op == "minus" and len(figs) >= 3:
        return _minus_text(result, metric, lang, glossary)
    if op == "cagr" and len(figs) == 3:
        return _cagr_text(result, metric, lang, glossary)
    if op == "change" and figs and figs[-1].kind == "sum":
        return _changes_sum_text(result, metric, lang, glossary)
    if op == "ratio" and len(figs) >= 3:
        a, b, r = figs
        if zh:
            return (f"{_lbl(a, lang, glossary)}的{metric}（{figure_text(a, lang)}）是{_lbl(b, lang, glossary)}"
                    f"（{figure_text(b, lang)}）的{figure_text(r, lang)}（= {arithmetic(r)}）。{source_note(table, None, lang)}")
        return (f"The {metric} of {_lbl(a, lang, glossary)} ({figure_text(a, lang)}) was {figure_text(r, lang)} that of "
                f"{_lbl(b, lang, glossary)} ({figure_text(b, lang)}) (= {arithmetic(r)}).{source_note(table, None, lang)}")
    if op == "value" and len(figs) == 2 and figs[1].kind == "remainder":
        return _bound_text(result, metric, lang, glossary)
    if op == "share_of_total" and q.combine and len(figs) >= 3:
        return _combined_share_text(result, metric, lang, glossary)
    lines = [_figure_sentence(f, result, metric, lang, glossary) for f in figs]
    return "".join(lines) if zh else " ".join(lines)


def _bound_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """A cell printed only as a bound, with what the column's total leaves for it."""
    table = result.table
    assert table is not None
    cell, rest = result.figures
    row, yr = row_name(cell.label, lang, glossary), _year(cell)
    if lang == "zh":
        return (f"{yr + '年' if yr else ''}{row}的{metric}表中只印为{figure_text(cell, lang)}；由合计减去其他各项推算约为"
                f"{figure_text(rest, lang)}（= {arithmetic(rest)}）。{source_note(table, None, lang)}")
    return (f"{'In ' + yr + ', ' if yr else ''}the {metric} of {row} is printed only as {figure_text(cell, lang)}; the total less "
            f"every other row leaves about {figure_text(rest, lang)} (= {arithmetic(rest)}).{source_note(table, None, lang)}")


def _ranked_lead(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """Which rows a ranking put on top, before what is computed of them."""
    top = result.ranking[: len(result.query.rows) or 1]
    yr = _year(top[0]) if top else ""
    word = ("最低" if result.query.order == "asc" else "最高") if lang == "zh" else \
        ("lowest" if result.query.order == "asc" else "highest")
    if lang == "zh":
        names = "、".join(row_name(f.label, lang, glossary) for f in top)
        rank = f"{metric}{word}的是{names}" if len(top) == 1 else f"{metric}排名前{len(top)}的是{names}"
        return f"{yr + '年' if yr else ''}{rank}。"
    names = ", ".join(row_name(f.label, lang, glossary) for f in top)
    when = f" in {yr}" if yr else ""
    return f"The {word} {metric}{when}: {names}. " if len(top) == 1 else f"The top {len(top)} by {metric}{when}: {names}. "


def _minus_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """One row less the others: '2023年规范渠道回收28.3万吨，减去梯次利用6.2万吨、再生利用21.7万吨，余0.4万吨（= 28.3 − 6.2 − 21.7）'."""
    table = result.table
    assert table is not None
    rest, first, parts = result.figures[-1], result.figures[0], result.figures[1:-1]
    yr = _year(first)
    note = result.query.note
    defined = (f"表注：“{note}”" if lang == "zh" else f" The table's note: “{note}”") if note else ""
    if lang == "zh":
        less = "、".join(f"{row_name(f.label, lang, glossary)}{figure_text(f, lang)}" for f in parts)
        return (f"{yr + '年' if yr else ''}{row_name(first.label, lang, glossary)}的{metric}为{figure_text(first, lang)}，"
                f"减去{less}，余{figure_text(rest, lang)}（= {arithmetic(rest)}）。{source_note(table, None, lang)}{defined}")
    less = " and ".join(f"{row_name(f.label, lang, glossary)} ({figure_text(f, lang)})" for f in parts)
    amount = figure_text(rest, lang) if rest.interval is not None else quantity_en(rest.printed, rest.unit, zh_prefix="余")
    return (f"{'In ' + yr + ', ' if yr else ''}the {metric} of {row_name(first.label, lang, glossary)} ({figure_text(first, lang)}) "
            f"less {less} leaves {amount} (= {arithmetic(rest)}).{source_note(table, None, lang)}{defined}")


def _cagr_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """Compound annual growth over a span: both ends and the formula."""
    table = result.table
    assert table is not None
    first, last, rate = result.figures
    row = row_name(first.label, lang, glossary)
    how = rate.formula.split(" = ")[-1]
    if lang == "zh":
        return (f"{row}的{metric}{first.year}年为{figure_text(first, lang)}，{last.year}年为{figure_text(last, lang)}，"
                f"{first.year}–{last.year}年年均复合增长率约为{figure_text(rate, lang)}（= {how}）。{source_note(table, None, lang)}")
    return (f"In {first.year}, the {metric} of {row} was {figure_text(first, lang)}; in {last.year} it was {figure_text(last, lang)}: "
            f"a compound annual growth rate of about {figure_text(rate, lang)} (= {how}).{source_note(table, None, lang)}")


def _changes_sum_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """Several rows' changes added up ('下降的那几个领域合计减少了多少'): the sum, then each row's change."""
    table = result.table
    assert table is not None
    total, parts = result.figures[-1], [f for f in result.figures[:-1] if f.kind == "change"]
    yr = parts[0].year if parts else None
    sums = " + ".join(f"({f.printed})" if f.value < 0 else f.printed for f in parts)
    if lang == "zh":
        names = "、".join(row_name(f.label, lang, glossary) for f in parts)
        each = "，".join(f"{row_name(f.label, lang, glossary)}{_ranked_change(f, lang)}" for f in parts)
        return (f"{yr}年{names}的{metric}比上年合计{_ranked_change(total, lang)}（= {sums}；{each}）。"
                f"{source_note(table, None, lang)}")
    names = ", ".join(row_name(f.label, lang, glossary) for f in parts)
    each = "; ".join(f"{row_name(f.label, lang, glossary)} {_ranked_change(f, lang)}" for f in parts)
    return (f"In {yr}, the {metric} of {names} together went {_ranked_change(total, lang)} on the year before "
            f"(= {sums}; {each}).{source_note(table, None, lang)}")


def _ranked_change(fig: Figure, lang: Language) -> str:
    """A change in words beside its unsigned amount: '减少332亿元' / 'down by CNY 33.2 billion (减少332亿元)'."""
    up = fig.value >= 0
    amount = _unsigned_amount(fig, lang)
    return f"{'增加' if up else '减少'}{amount}" if lang == "zh" else f"{'up' if up else 'down'} by {amount}"


def _unsigned_amount(fig: Figure, lang: Language) -> str:
    """A change's size without its sign; in English an amount carries its Chinese figure with the direction word
    ('CNY 33.2 billion (减少332亿元)') so the checker reads it as a change."""
    if lang == "zh" or fig.interval is not None or fig.unit == "个百分点":
        return figure_text(Figure(fig.label, abs(fig.value), fig.unit, fig.decimals, fig.cells, fig.formula,
                                  _abs_interval(fig.interval), computed=True), lang)
    return quantity_en(f"{abs(round_half_up(fig.value, fig.decimals)):.{fig.decimals}f}", fig.unit,
                       zh_prefix="增加" if fig.value >= 0 else "减少")


def _name(fig: Figure, same_year: bool, lang: Language, glossary: Glossary) -> str:
    """Row name, with the year only when the figures being combined differ by year."""
    return row_name(fig.label, lang, glossary) if same_year else _lbl(fig, lang, glossary)


def _lbl(fig: Figure, lang: Language, glossary: Glossary) -> str:
    """Row name, with the year when figures differ by year."""
    name = row_name(fig.label, lang, glossary)
    if fig.year is None:
        return name
    return f"{fig.year}年{name}" if lang == "zh" else f"{name} in {fig.year}"


def arithmetic(fig: Figure) -> str:
    """The numbers side of a derivation without units ('18548 ÷ 38320'), so only the result reads as a claim."""
    return fig.formula.split(" = ")[-1].replace("%", "")


def _figure_sentence(fig: Figure, result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    table = result.table
    assert table is not None
    zh = lang == "zh"
    total = fig.label in ("总计", "合计")
    row = row_name(fig.label, lang, glossary)
    yr = _year(fig)
    value = figure_text(fig, lang)
    if fig.kind == "share" and result.op == "share_of_total":
        if zh:
            return f"{yr}年{row}的{metric}占{_whole(result, lang, glossary)}的{value}（= {arithmetic(fig)}）。{source_note(table, None, lang)}"
        return (f"In {yr}, {row} accounted for {value} of {_whole(result, lang, glossary)} {metric} (= {arithmetic(fig)})."
                f"{source_note(table, None, lang)}")
    if fig.kind == "change":
        a, b = fig.cells[0], fig.cells[1]
        points = fig.unit == "个百分点"
        up = fig.value >= 0
        amount = _unsigned_amount(fig, lang)
        if zh:
            word = ("提高" if up else "下降") if points else ("增加" if up else "减少")
            who = f"{metric}（总计）" if total else f"{row}的{metric}"
            return (f"{who}{a.year}年为{quantity_zh(a.text, a.unit)}，{b.year}年为{quantity_zh(b.text, b.unit)}，"
                    f"比{a.year}年{word}{amount}（= {arithmetic(fig)}）。")
        word = "increased" if up else "decreased"
        who = f"total {metric}" if total else f"the {metric} of {row}"
        return (f"In {a.year}, {who} was {quantity_en(a.text, a.unit)}; in {b.year} it was "
                f"{quantity_en(b.text, b.unit)}. In {b.year} {who} {word} by {amount} from {a.year} (= {arithmetic(fig)}).")
    if fig.kind == "growth":
        who_zh = f"{metric}（总计）" if total else f"{row}的{metric}"
        who_en = f"total {metric}" if total else f"{row}'s {metric}"
        if fig.value < 0 and fig.interval is None and result.op in ("growth", "change"):  # 'by what percentage did it fall': the size of the fall
            fall = f"{abs(round_half_up(fig.value, fig.decimals)):.{fig.decimals}f}%"
            value += f"，即下降{fall}" if zh else f", i.e. a fall of {fall}"
        years = sorted({c.year for c in fig.cells if getattr(c, "year", None)})
        if fig.computed and len(years) == 2 and years[1] - years[0] > 1:  # growth over several years is not year on year
            if zh:
                return (f"{who_zh}{years[0]}年至{years[1]}年累计增长{value}（{table.id}未直接列出该增速，由{table.id}计算："
                        f"{fig.formula.split(' = ')[0]}，即 {arithmetic(fig)}）。")
            return (f"The growth of {who_en} from {years[0]} to {years[1]} was {value} over the {years[1] - years[0]} years "
                    f"({table.id} does not print this rate; computed as {arithmetic(fig)}).")
        if fig.computed:
            if zh:
                return (f"{yr}年{who_zh}同比增速为{value}（{table.id}未直接列出该增速，由{table.id}计算："
                        f"{fig.formula.split(' = ')[0]}，即 {arithmetic(fig)}）。")
            return (f"The year-on-year growth of {who_en} in {yr} was {value} ({table.id} does not print this rate; "
                    f"computed as {arithmetic(fig)}).")
        level = _stated_level(result, fig)
        if zh:
            lead = f"{yr}年{who_zh}为{quantity_zh(level.text, level.unit)}，" if level else f"{yr}年{who_zh}"
            return f"{lead}同比增速为{value}。{source_note(table, fig, lang)}"
        if level:
            return (f"In {yr}, {who_en} was {quantity_en(level.text, level.unit)}; its year-on-year growth was {value}."
                    f"{source_note(table, fig, lang)}")
        return f"The year-on-year growth of {who_en} in {yr} was {value}.{source_note(table, fig, lang)}"
    growth = _printed_growth(result, fig, lang)
    if zh:
        who = f"{metric}总计" if total else f"{row}的{metric}"
        return f"{yr + '年' if yr else ''}{who}为{value}{growth}。{source_note(table, fig, lang)}"
    who = f"Total {metric}" if total else f"{metric[:1].upper()}{metric[1:]} of {row}"
    return f"{who}{' in ' + yr if yr else ''}: {value}{growth}.{source_note(table, fig, lang)}"


def _printed_growth(result: TableResult, fig: Figure, lang: Language) -> str:
    """The year-on-year rate the table prints in the same row beside a level read on its own ('，同比增长8.2%',
    ', up 8.2% year on year'), as the report states a level with its change."""
    table = result.table
    if table is None or result.op != "value" or fig.kind != "level" or fig.year is None or fig.computed:
        return ""
    col = growth_column(table, fig.year, fig.cells[0].metric if fig.cells else None)
    cell = table.cell(fig.label, col.id) if col is not None else None
    if cell is None or cell.value is None or not cell.text:
        return ""
    size = cell.text.lstrip("+-−")
    up = cell.value >= 0
    if lang == "zh":
        return f"，同比{'增长' if up else '下降'}{size}"
    return f", {'up' if up else 'down'} {size} year on year"


def _stated_level(result: TableResult, fig: Figure) -> Cell | None:
    """The level printed beside a growth rate: the report states a rate with the level it grew to ('132亿元，同比下降
    93.8%'), and a question asking the rate often wants both ('融资额是多少？增速多少？', '<measure> yoy')."""
    cell = _level_cell(result, fig)
    return cell if cell is not None and cell.value is not None else None


def _level_cell(result: TableResult, fig: Figure, back: int = 0) -> Cell | None:
    """The printed level of the figure's row and year (``back`` years before it) in the asked measure (its growth
    aside), else None."""
    q, table = result.query, result.table
    if table is None or q.metric is None or fig.year is None:
        return None
    year = fig.year - back
    col = next((c for c in table.columns if c.metric == q.metric and c.kind != "growth" and c.year == year), None)
    cell = table.cell(fig.label, col.id) if col else None
    return cell if cell is not None and cell.text else None


def _abs_interval(interval: tuple[float, float] | None) -> tuple[float, float] | None:
    if interval is None:
        return None
    lo, hi = sorted((abs(interval[0]), abs(interval[1])))
    return (lo, hi) if not (interval[0] < 0 < interval[1]) else (0.0, hi)


_ORDINAL_EN = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


def _rank_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    q = result.query
    table = result.table
    assert table is not None
    ranking = result.ranking
    zh = lang == "zh"
    top = result.figures
    yr = _year(top[0]) if top else ""
    what = {"level": metric, "growth": f"{metric}增速" if zh else f"{metric} growth",
            "change": f"{metric}变化" if zh else f"change in {metric}"}[q.rank_by]
    ties = [f for f in ranking if f is not top[0] and f.printed == top[0].printed and f.interval == top[0].interval]
    listed = [top[0], *ties] if not q.top_n else top
    position = getattr(q, "position", None)
    if zh:
        word = "最低" if q.order == "asc" else "最高"
        word = f"排第{position}（{'由低到高' if q.order == 'asc' else '由高到低'}）" if position else word
        if q.rank_by == "growth" and q.order == "asc":
            word = "降幅最大" if top[0].value < 0 else "最低"
        if q.rank_by == "change" and not position:
            word = ("减少最多" if top[0].value < 0 else "增加最少") if q.order == "asc" else ("增加最多" if top[0].value > 0 else "减少最少")
            what = metric
        items = "、".join(f"{row_name(f.label, lang, glossary)}（{_ranked_figure(result, f, lang)}{_level(result, f, lang)}）" for f in listed)
        head = f"{yr}年" if yr else ""
        if q.top_n:
            lead = f"{head}{what}排名前{q.top_n}{'（由低到高）' if q.order == 'asc' else ''}的是：{items}。"
        else:
            lead = f"{head}{what}{word}的是{items}{'（并列）' if ties else ''}。{_excluded(result, lang, glossary)}"
        rest = "；".join(f"{row_name(f.label, lang, glossary)}{what if q.rank_by != 'change' else metric}{_ranked_figure(result, f, lang)}"
                        for f in ranking)
        return f"{lead}完整排序：{rest}。{source_note(table, None, lang)}"
    word = "lowest" if q.order == "asc" else "highest"
    word = f"{_ORDINAL_EN.get(position, f'#{position}')}-{word}" if position else word
    if q.rank_by == "growth" and q.order == "asc":
        word = "largest decline in" if top[0].value < 0 else "lowest"
        what = metric if top[0].value < 0 else what
    if q.rank_by == "change" and not position:
        word = ("largest decrease in" if top[0].value < 0 else "smallest increase in") if q.order == "asc" \
            else ("largest increase in" if top[0].value > 0 else "smallest decrease in")
        what = metric
    items = ", ".join(f"{row_name(f.label, lang, glossary)} ({_ranked_figure(result, f, lang)}{_level(result, f, lang)})" for f in listed)
    head = f" in {yr}" if yr else ""
    if q.top_n:
        lead = f"The top {q.top_n} by {what}{head}{' (lowest first)' if q.order == 'asc' else ''}: {items}."
    else:
        lead = f"The {word} {what}{head}: {items}{' (tied)' if ties else ''}.{_excluded(result, lang, glossary)}"
    rest = "; ".join(f"{row_name(f.label, lang, glossary)} {what if q.rank_by != 'change' else metric} {_ranked_figure(result, f, lang)}"
                     for f in ranking)
    return f"{lead} Full ranking: {rest}.{source_note(table, None, lang)}"


def _ranked_figure(result: TableResult, fig: Figure, lang: Language) -> str:
    """A ranked figure; a change says its direction in words beside an unsigned amount, as the report would print
    it, so the checker reads it as a change, not a level."""
    if result.query.rank_by != "change" or fig.kind != "change" or fig.unit == "个百分点":
        return figure_text(fig, lang)
    return _ranked_change(fig, lang)


def _level(result: TableResult, fig: Figure, lang: Language) -> str:
    """The row's printed levels beside a growth or change it is ranked by — the year before's too, when the table
    prints it, so the rate can be read off: '，由2021年的212亿元变为2022年的132亿元' / '; 2021: …, 2022: …'."""
    cell = _level_cell(result, fig) if result.query.rank_by != "level" else None
    if cell is None:
        return ""
    before = _level_cell(result, fig, back=1)
    if lang == "zh":
        was = f"由{fig.year - 1}年的{quantity_zh(before.text, before.unit)}变为" if before is not None else ""
        return f"，{was}{fig.year}年{'的' if was else '为'}{quantity_zh(cell.text, cell.unit)}"
    if before is None:
        return f", to {quantity_en(cell.text, cell.unit)} in {fig.year}"
    return f"; {fig.year - 1}: {quantity_en(before.text, before.unit)}, {fig.year}: {quantity_en(cell.text, cell.unit)}"


def _excluded(result: TableResult, lang: Language, glossary: Glossary) -> str:
    """A sentence of its own naming the rows the question left out ('以上不含X。' / ' Left out as asked: X.'), so
    the checker does not read them as subjects of the figure."""
    left = result.query.excluded
    if not left:
        return ""
    if lang == "zh":
        return f"以上不含{'、'.join(left)}。"
    return f" Left out as asked: {', '.join(row_name(r, lang, glossary) for r in left)}."


def _is_total(label: str) -> bool:
    return label in ("总计", "合计")


def _years_sum_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """One row summed over years: '交通出行2020–2022年的融资额合计为623亿元（= 115 + 485 + 23；…）'."""
    table = result.table
    assert table is not None
    total, parts = result.figures[-1], result.figures[:-1]
    row = row_name(parts[0].label, lang, glossary)
    years = sorted(f.year for f in parts if f.year)
    span = f"{years[0]}–{years[-1]}" if years[-1] - years[0] == len(years) - 1 else "、".join(map(str, years))
    if lang == "zh":
        listing = "，".join(f"{f.year}年{figure_text(f, lang)}" for f in parts)
        joined = figure_text(total, lang)
        joined = joined if joined.startswith("不足") else f"为{joined}"
        who = f"{span}年{metric}总计" if _is_total(parts[0].label) else f"{row}{span}年的{metric}"
        return f"{who}合计{joined}（= {arithmetic(total)}；{listing}）。{source_note(table, None, lang)}"
    listing = "; ".join(f"{f.year}: {figure_text(f, lang)}" for f in parts)
    amount = figure_text(total, lang) if total.interval is not None else \
        quantity_en(total.printed, total.unit, zh_prefix=f"{parts[0].label}{span}年合计")
    who = f"Total {metric}" if _is_total(parts[0].label) else f"The {metric} of {row}"
    return f"{who} over {span} comes to {amount} (= {arithmetic(total)}; {listing}).{source_note(table, None, lang)}"


def _whole(result: TableResult, lang: Language, glossary: Glossary) -> str:
    """What a share is of: the total ('总计', 'total') or the row the question names ('规范渠道回收', "regulated-channel
    recovery's")."""
    whole = result.query.whole_row
    if not whole:
        total = total_row(result.table) if result.table is not None else None
        named = total if total and total not in ("合计", "总计") else "总计"  # ('全国' names the whole; '合计' does not)
        return named if lang == "zh" else "total"
    return row_name(whole, lang, glossary) + ("" if lang == "zh" else "'s")


def _combined_share_text(result: TableResult, metric: str, lang: Language, glossary: Glossary) -> str:
    """Several rows' combined share of the total first, then each row's own share."""
    table = result.table
    assert table is not None
    comb, parts = result.figures[-1], result.figures[:-1]
    yr = _year(comb)
    amount = _summed_part(comb)
    if lang == "zh":
        names = "、".join(row_name(f.label, lang, glossary) for f in parts)
        each = "，".join(f"{row_name(f.label, lang, glossary)}{figure_text(f, lang)}" for f in parts)
        together = f"合计{quantity_zh(*amount)}，" if amount else "合计"
        return (f"{yr + '年' if yr else ''}{names}的{metric}{together}占{_whole(result, lang, glossary)}的{figure_text(comb, lang)}"
                f"（= {arithmetic(comb)}）；其中{each}。{_excluded(result, lang, glossary)}{source_note(table, None, lang)}")
    names = " and ".join(row_name(f.label, lang, glossary) for f in parts)
    each = "; ".join(f"{row_name(f.label, lang, glossary)} {figure_text(f, lang)}" for f in parts)
    together = f", {quantity_en(*amount)} together," if amount else " together"
    return (f"{'In ' + yr + ', ' if yr else ''}{names}{together} accounted for "
            f"{figure_text(comb, lang)} of {_whole(result, lang, glossary)} {metric} (= {arithmetic(comb)}); individually: {each}.{_excluded(result, lang, glossary)}"
            f"{source_note(table, None, lang)}")


def _summed_part(share: Figure) -> tuple[str, str] | None:
    """The amount a combined share divides ('(9.6 + 5.4) ÷ 28.3' → ('15.0', '万吨')), at the cells' precision; None
    when the share adds printed shares or a bound ('＜1') stands among its cells."""
    cells = share.cells
    parts, whole = cells[:-1], cells[-1] if cells else None
    if len(parts) < 2 or whole is None or " ÷ " not in share.formula or any(c.bound or c.value is None for c in cells):
        return None
    if len({c.unit for c in cells}) != 1 or whole.unit in (None, "%"):
        return None
    places = max(c.decimals for c in parts)
    return f"{sum(c.value for c in parts if c.value is not None):.{places}f}", whole.unit


def _derived_text(result: TableResult, lang: Language, glossary: Glossary) -> str:
    """Remainder (whole − part), implied base (count ÷ rate) and cross-table share, each with its derivation."""
    q = result.query
    table = result.table
    assert table is not None
    a, b, r = result.figures
    zh = lang == "zh"
    yr = f"{r.year}年" if (zh and r.year) else (f"In {r.year}, " if r.year else "")
    ma, mb = metric_name(q.metric or "", lang, glossary), metric_name(q.part_metric or q.ref_metric or "", lang, glossary)
    row = row_name(a.label, lang, glossary)
    value = figure_text(r, lang)
    if q.op == "remainder":
        if zh:
            return (f"{yr}{row}的{ma}为{figure_text(a, lang)}，其中{mb}为{figure_text(b, lang)}。除去这部分，其余为{value}"
                    f"（= {arithmetic(r)}）。{source_note(table, None, lang)}")
        return (f"{yr}the {ma} of {row} was {figure_text(a, lang)}, of which {mb} {figure_text(b, lang)}. Taking that part out, the rest comes to "
                f"{value} (= {arithmetic(r)}).{source_note(table, None, lang)}")
    if q.op == "per":
        per = r.unit.split("/")[-1]
        if zh:
            return (f"{yr}{row}的{ma}为{figure_text(a, lang)}，{mb}为{figure_text(b, lang)}，平均每{per}约{value}"
                    f"（= {arithmetic(r)}；报告未直接列出该数，由{table.id}两列相除得出）。{source_note(table, None, lang)}")
        return (f"{yr}the {ma} of {row} was {figure_text(a, lang)} and its {mb} {figure_text(b, lang)}: about {value} "
                f"(= {arithmetic(r)}; the report does not print this figure, it divides two columns of {table.id})."
                f"{source_note(table, None, lang)}")
    if q.op == "implied":
        if zh:
            return (f"由{yr}{row}的{ma}（{figure_text(a, lang)}）除以{mb}（{figure_text(b, lang)}）推算，{mb}所对应的总数约为{value}"
                    f"（= {arithmetic(r)}%；报告未直接列出该数）。{source_note(table, None, lang)}")
        return (f"{yr}dividing the {ma} of {row} ({figure_text(a, lang)}) by its {mb} ({figure_text(b, lang)}) gives the total "
                f"that rate is taken of: about {value} (= {arithmetic(r)}%; the report does not print this figure).{source_note(table, None, lang)}")
    other = next((t for t in [*([table])] if t.id == q.ref_table_id), None)
    ta, tb = a.cells[0].id.split("/")[0], b.cells[0].id.split("/")[0]
    rb = row_name(b.label, lang, glossary)
    if zh:
        row, rb = ("" if _is_total(a.label) else row), ("" if _is_total(b.label) else rb)
        ma, mb = (f"{ma}总计" if _is_total(a.label) else ma), (f"{mb}总计" if _is_total(b.label) else mb)
    unit = a.unit or ""
    if zh:
        rel = f"占{tb}{rb}{mb}（{figure_text(b, lang)}）的{value}" if q.as_share else f"是{tb}{rb}{mb}（{figure_text(b, lang)}）的{value}"
        return (f"{yr}{ta}{row + '的' if row else ''}{ma}（{figure_text(a, lang)}）{rel}（= {arithmetic(r)}；两表同为{unit}、同一年份）。"
                f"（{ta}、{tb}）")
    rel = f"{value} of" if q.as_share else f"{value}"
    return (f"{yr}the {ma} of {row} in {ta} ({figure_text(a, lang)}) was {rel} the {mb} of {rb} in {tb} ({figure_text(b, lang)}) "
            f"(= {arithmetic(r)}; both in {unit}, same year).{'' if other else ''} ({ta}, {tb})")
