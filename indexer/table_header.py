"""Header structure of a flattened table: label header, group headers 'X（unit）', year leaves, growth/share columns.

The PDF text keeps a table's header as a few lines of tokens, e.g.::

    领域
    人均消费支出（元） 共享型服务支出（元） 共享型服务支出占比
    2021年 2022年 2021年 2022年 2021年 2022年

The last line holding bare year tokens is the leaf line; the tokens above it are group headers and
the runs of years under them are paired with the groups in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from reportqa.records import Column

Kind = Literal["level", "growth", "share"]

YEAR_TOKEN = re.compile(r"^((?:19|20)\d{2})年?$")
YEAR_IN_TEXT = re.compile(r"((?:19|20)\d{2})\s*年")
UNIT_LINE = re.compile(r"^[（(]?单位\s*[：:]\s*(.+?)[）)]?$")
WITH_UNIT = re.compile(r"^(?P<name>.*?)\s*[（(](?P<unit>[^（）()]{1,8})[）)]$")
GROWTH_WORDS = re.compile(r"增速|增长率|增幅|同比|环比|增长")
SHARE_WORDS = re.compile(r"占比|比重|普及率|渗透率|比例|份额|占有率")


@dataclass
class Header:
    """The parsed header: the label column's header, the leaf columns, and parse warnings."""

    label: str | None
    columns: list[Column]
    warnings: list[str] = field(default_factory=list)
    explicit_unit: dict[str, bool] = field(default_factory=dict)


def header_tokens(line: str) -> list[str]:
    """Split a header line into tokens, re-attaching '（unit）' and '2022 年' split by the extraction."""
    line = re.sub(r"((?:19|20)\d{2})\s+年", r"\1年", line.strip())
    tokens: list[str] = []
    for tok in line.split():
        if tokens and tok[0] in "（(" and not UNIT_LINE.match(tok):
            tokens[-1] += tok
        else:
            tokens.append(tok)
    return tokens


def column_kind(name: str) -> Kind:
    """'growth' for 增速/增长率/同比…, 'share' for 占比/比重/普及率…, else 'level'."""
    if GROWTH_WORDS.search(name):
        return "growth"
    if SHARE_WORDS.search(name):
        return "share"
    return "level"


def split_unit(token: str) -> tuple[str, str | None]:
    """'共享经济交易额（亿元）' → ('共享经济交易额', '亿元'); '%' units are normalised."""
    m = WITH_UNIT.match(token)
    if not m:
        return token, None
    unit = m.group("unit").strip().replace("％", "%")
    return m.group("name").strip(), unit


def caption_years(caption: str) -> list[int]:
    """Years named in a caption: '2021-2022年…' → [2021, 2022]."""
    years = {int(y) for y in re.findall(r"(?:19|20)\d{2}", caption)}
    return sorted(years)


def _is_label_header(token: str) -> bool:
    return not (YEAR_TOKEN.match(token) or WITH_UNIT.match(token) or UNIT_LINE.match(token)
                or column_kind(token) != "level" or YEAR_IN_TEXT.search(token))


def _year_runs(years: list[int]) -> list[list[int]]:
    """Split a year sequence where it restarts: [2021, 2022, 2021, 2022] → [[2021, 2022], [2021, 2022]]."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y > runs[-1][-1]:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def parse_header(lines: list[str], caption: str, row_lengths: list[int] | None = None) -> Header:
    """Columns from the header lines; ``row_lengths`` (cells per data row) settle whether the first token labels rows."""
    token_lines = [header_tokens(line) for line in lines]
    token_lines = [t for t in token_lines if t]
    unit_default: str | None = None
    cleaned: list[list[str]] = []
    for toks in token_lines:
        keep = []
        for tok in toks:
            m = UNIT_LINE.match(tok)
            if m:
                unit_default = m.group(1).strip()
            else:
                keep.append(tok)
        if keep:
            cleaned.append(keep)
    with_label = _build(cleaned, caption, unit_default, take_label=True)
    lengths = row_lengths or []
    if lengths and len(with_label.columns) not in lengths:
        without = _build(cleaned, caption, unit_default, take_label=False)
        if 2 * lengths.count(len(without.columns)) > len(lengths):
            return without
    return with_label


def _build(lines: list[list[str]], caption: str, unit_default: str | None, *, take_label: bool) -> Header:
    warnings: list[str] = []
    lines = [list(t) for t in lines]
    label: str | None = None
    if take_label and lines and _is_label_header(lines[0][0]):
        label = lines[0].pop(0)
        lines = [t for t in lines if t]
    if not lines:
        return Header(label=label, columns=[], warnings=["no column headers found under the caption"])
    year_line = max((i for i, t in enumerate(lines) if any(YEAR_TOKEN.match(x) for x in t)), default=None)
    specs: list[tuple[list[str], str | None]] = []  # (header levels, group token or None)
    year_groups = _year_groups(lines, year_line, warnings) if year_line is not None else None
    if year_groups is not None:
        specs = year_groups
    elif year_line is None or year_line == 0:
        specs = [([tok], None) for t in lines for tok in t]
    else:
        groups = [tok for t in lines[:year_line] for tok in t]
        specs = _pair_groups(groups, lines[year_line], warnings)
        specs += [([tok], None) for t in lines[year_line + 1:] for tok in t]
    default_year = caption_years(caption)
    default_year_value = default_year[0] if len(default_year) == 1 else None
    caption_metric = YEAR_IN_TEXT.sub("", re.sub(r"(?:19|20)\d{2}\s*[-–—~至]\s*", "", caption)).strip()
    columns: list[Column] = []
    explicit: dict[str, bool] = {}
    for header, group in specs:
        col, has_unit = _column(header, group, unit_default, default_year_value, caption_metric)
        columns.append(col)
        explicit[col.id] = has_unit
    columns, explicit = _unique_ids(columns, explicit, warnings)
    return Header(label=label, columns=columns, warnings=warnings, explicit_unit=explicit)


def _year_groups(lines: list[list[str]], year_line: int, warnings: list[str]) -> list[tuple[list[str], str | None]] | None:
    """Years as the *upper* level: a line of bare years over a line of measures, each year owning a run.

        2021年 2022年 2023年
        退役量（万吨） 退役量（万吨） 同比增速 退役量（万吨） 同比增速

    Runs start at each level measure and take the growth/share columns that follow it; when that does
    not give one run per year, equal runs are used when the counts divide, else None (not this layout).
    """
    years = lines[year_line]
    if not all(YEAR_TOKEN.match(t) for t in years) or year_line + 1 >= len(lines):
        return None
    subs = lines[year_line + 1]
    if any(YEAR_TOKEN.match(t) or YEAR_IN_TEXT.search(t) for t in subs) or len(subs) <= len(years):
        return None
    runs: list[list[str]] = []
    for tok in subs:
        if column_kind(split_unit(tok)[0]) == "level" or not runs:
            runs.append([tok])
        else:
            runs[-1].append(tok)
    if len(runs) != len(years):
        if len(subs) % len(years):
            warnings.append(f"header: {len(subs)} measures under {len(years)} years; years not paired with measures")
            return None
        step = len(subs) // len(years)
        runs = [subs[i:i + step] for i in range(0, len(subs), step)]
    specs: list[tuple[list[str], str | None]] = [([tok], None) for t in lines[:year_line] for tok in t]
    specs += [([year, tok], None) for year, run in zip(years, runs) for tok in run]
    specs += [([tok], None) for t in lines[year_line + 2:] for tok in t]
    return specs


def _pair_groups(groups: list[str], leaf: list[str], warnings: list[str]) -> list[tuple[list[str], str | None]]:
    """Pair runs of year leaves with the group headers above them; other leaves stand alone."""
    years = [int(YEAR_TOKEN.match(t).group(1)) for t in leaf if YEAR_TOKEN.match(t)]  # type: ignore[union-attr]
    runs = _year_runs(years)
    n = len(groups)
    if len(runs) == n:
        per_group = [len(r) for r in runs]
    elif len(runs) < n:
        per_group = [len(r) for r in runs] + [0] * (n - len(runs))
    elif len(runs) % n == 0:
        step = len(runs) // n
        per_group = [sum(len(r) for r in runs[i * step:(i + 1) * step]) for i in range(n)]
    else:
        per_group = [len(r) for r in runs[:n]]
        per_group[-1] += sum(len(r) for r in runs[n:])
        warnings.append(f"header: {len(runs)} runs of years under {n} group header(s); extra years put under {groups[-1]!r}")
    owners: list[str] = [g for g, k in zip(groups, per_group) for _ in range(k)]
    specs: list[tuple[list[str], str | None]] = []
    year_i = 0
    for tok in leaf:
        if YEAR_TOKEN.match(tok):
            specs.append(([owners[year_i], tok], owners[year_i]))
            year_i += 1
        else:
            specs.append(([tok], None))
    specs += [([g], None) for g, k in zip(groups, per_group) if k == 0]
    return specs


def _column(header: list[str], group: str | None, unit_default: str | None, default_year: int | None,
            caption_metric: str) -> tuple[Column, bool]:
    leaf = header[-1]
    name, unit = split_unit(group if group is not None else leaf)
    kind = column_kind(name if group is not None else leaf)
    m = YEAR_IN_TEXT.search(leaf) or YEAR_TOKEN.match(leaf) or (YEAR_TOKEN.match(header[0]) if len(header) > 1 else None)
    year = int(m.group(1)) if m else default_year
    metric = name if group is not None else YEAR_IN_TEXT.sub("", YEAR_TOKEN.sub("", name)).strip()
    has_unit = unit is not None
    if unit is None:
        unit = "%" if kind != "level" else unit_default
    return Column(id="/".join(header), header=header, metric=metric or caption_metric, unit=unit,
                  year=year, kind=kind), has_unit


def _unique_ids(columns: list[Column], explicit: dict[str, bool], warnings: list[str]) -> tuple[list[Column], dict[str, bool]]:
    """Use the leaf as the id when it is unique in the table ('2022年'), else the joined levels."""
    leaves = [c.header[-1] for c in columns]
    out: list[Column] = []
    flags: dict[str, bool] = {}
    seen: set[str] = set()
    for c, leaf in zip(columns, leaves):
        cid = leaf if leaves.count(leaf) == 1 else c.id
        if cid in seen:
            n = 2
            while f"{cid}#{n}" in seen:
                n += 1
            warnings.append(f"header: duplicate column {cid!r} renamed {cid}#{n}")
            cid = f"{cid}#{n}"
        seen.add(cid)
        flags[cid] = explicit[c.id]
        out.append(c.model_copy(update={"id": cid}))
    return out, flags
