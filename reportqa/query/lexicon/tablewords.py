"""Question vocabulary for table QA: years, operation words (both languages), fillers and stopwords.

These are words of questions in general (倍, 合计, 最高, how many times, combined …), never of one report; the
word lists are package data (``data/table_words.json``), compiled here once.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")
YEAR_RANGE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})\s*年?\s*(?:-|–|—|－|~|～|至|到|through|to|and)\s*((?:19|20)\d{2})(?![\d.])", re.I
)


@lru_cache(maxsize=1)
def _words() -> dict:
    """The package's table question words (``data/table_words.json``), read once."""
    text = resources.files("reportqa.query.lexicon").joinpath("data/table_words.json").read_text(encoding="utf-8")
    return json.loads(text)


def words_pattern(name: str) -> re.Pattern[str]:
    """The word list ``name`` of table_words.json as one case-insensitive pattern (Chinese fragments first)."""
    entry = _words()[name]
    return re.compile("|".join(f for lang in ("zh", "en") for f in entry.get(lang, [])), re.I)


_W = _words()
ZH_NUM: dict[str, int] = _W["zh_numbers"]
EN_NUM: dict[str, int] = _W["en_numbers"]
EN_ORDINAL: dict[str, int] = _W["en_ordinals"]

# Operation vocabulary (question words, both languages).
RATIO = words_pattern("ratio")
SHARE_WORD = words_pattern("share_word")
TOTAL_WORD = words_pattern("total_word")
SUM = words_pattern("sum")
COMPARE = words_pattern("compare")
RANK = words_pattern("rank")
EXTREME = words_pattern("extreme")
MINUS = words_pattern("minus")  # one row less the others
CAGR = words_pattern("cagr")  # compound annual growth over a span of years  # the top or bottom of a ranking, as opposed to a list ('which sectors …')
ASCENDING = words_pattern("ascending")
DECLINE = words_pattern("decline")
GROWTH = words_pattern("growth")
RATE_WORD = words_pattern("rate_word")
CHANGE = words_pattern("change")
SUB_ANNUAL = words_pattern("sub_annual")
TABLE_REF = words_pattern("table_ref")
WHY = words_pattern("why")
UNIT_TERMS = frozenset(_W["unit_terms"])  # glossary terms that name a unit, not a subject
ABSOLUTE = words_pattern("absolute")
# 'apart from X', '除X以外': rows left out of a ranking or sum (or the part taken out of a whole)
EXCLUDE = words_pattern("exclude")
EXCLUDE_CLOSE = words_pattern("exclude_close")
REMAINDER = words_pattern("remainder")
LIST_JOINER = words_pattern("list_joiner")
IMPLIED = words_pattern("implied")  # a count divided by its rate ('推算', 'implied')
PER = words_pattern("per")  # a figure per unit of another column of the row ('平均每家', 'per worker')
PER_PERSON = words_pattern("per_person")  # per person: the denominator is the row's count of people
DENOMINATOR = words_pattern("denominator")
# rows picked by how they changed: '同比下降的领域' (growth < 0), '增速超过10%的' (growth > 10) …
ROW_CONDITIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (words_pattern(f"row_condition_{name}"), cmp) for name, cmp in (("above", ">"), ("below", "<"), ("down", "<"), ("up", ">"))
)  # the measure named after these words is the denominator

# the kind of row a question asks for ('哪种…', 'which region') and the caption words of a table by that kind of row
ROW_KINDS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile("|".join(k.get("zh", []) + k.get("en", [])), re.I), tuple(k["caption"])) for k in _W["row_kinds"]["kinds"]
)

# Words that carry no subject: removing them (and glossary terms, years, op words) leaves unknown subjects.
ZH_FILLER = re.compile("|".join([*sorted(_W["zh_filler"]["zh"], key=len, reverse=True), *_W["zh_filler"].get("en", [])]),
                       re.I)  # (Chinese longest first: '其他', not '其' + '他')


def _inflected(base: str) -> set[str]:
    """A verb with its regular inflections ('achieve' → achieves, achieved, achieving)."""
    stem = base[:-1] if base.endswith("e") else base
    out = {base, base + "s", base + "es", stem + "ed", stem + "ing"}
    if base.endswith("y"):
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    return out


EN_STOP = frozenset(_W["en_stopwords"]) | frozenset(w for v in _W["en_general_verbs"]["en"] for w in _inflected(v))

# Ordinal positions in a ranking: '排第二', '第三大', 'second-largest', '3rd highest'.
ORDINAL = words_pattern("ordinal")
# 'the two smallest' in Chinese: '最小的两个', '最大的三个领域'.
EXTREME_N = words_pattern("extreme_n")
TOP_N = words_pattern("top_n")  # 'top 3', '前三名', 'three largest'
ORDINAL_ASCENDING = words_pattern("ordinal_ascending")  # an ordinal counted from the bottom ('第二小', 'second-lowest')

# Metric paraphrases: question words (both languages) mapped to the Chinese words a metric name uses.
# '人均' qualifies every column of a per-capita table, so it never picks a metric on its own.
PARAPHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p["pattern"], re.I), p["zh"]) for p in _W["paraphrases"]
)
BY_PERCENT = words_pattern("by_percent")
SPEND_WORD: str = _W["spend_word"]
CONSUME_WORD: str = _W["consume_word"]
# Metric aliases that name no particular column of a per-capita spending table ('per-capita spending'
# fits every column there): the question's other words choose the column.
GENERIC_FORMS = frozenset(_W["generic_metric_forms"])
SHARE_PICK = words_pattern("share_pick")


def question_years(question: str, *, mention_order: bool = False) -> list[int]:
    """Years named in a question, ranges ('2020-2022年', 'from 2020 to 2022') expanded; sorted unless ``mention_order``."""
    years: list[int] = []
    for m in YEAR_RANGE.finditer(question):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b <= a + 20:
            years.extend(range(a, b + 1))
    for m in YEAR.finditer(question):
        years.append(int(m.group(1)))
    unique = list(dict.fromkeys(years))
    return unique if mention_order else sorted(unique)


def _number(token: str) -> int | None:
    token = token.lower()
    return int(token) if token.isdigit() else ZH_NUM.get(token) or EN_NUM.get(token) or EN_ORDINAL.get(token)


def ordinal_position(question: str) -> tuple[int, bool] | None:
    """(position, ascending) of an ordinal rank ('排第二', '第三大', 'second-largest', '第二小'); None without one."""
    m = ORDINAL.search(question)
    if not m:
        return None
    n = _number(next((g for g in m.groups() if g), ""))
    if not n or n < 2:
        return None
    return n, bool(ORDINAL_ASCENDING.search(m.group(0)))


def top_n(question: str) -> int | None:
    """How many rows a ranking asks for ('前三', 'top 2', '最大的两个', 'the three largest'); None for one."""
    m = EXTREME_N.search(question) or TOP_N.search(question)
    return _number(next((g for g in m.groups() if g), "")) if m else None


def paraphrase_blanked(text: str) -> str:
    """``text`` with metric paraphrase words blanked (same length), so they are not unknown subjects."""
    for pattern, _ in PARAPHRASES:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def metric_wording(question: str) -> str:
    """The Chinese metric words a question uses: its own Chinese plus the paraphrases of its English words."""
    words = [zh for pattern, zh in PARAPHRASES if pattern.search(question)]
    if SHARE_PICK.search(question):
        words.append("占比")
    return "".join(words) + "".join(re.findall(r"[\u4e00-\u9fff]", question))


def _name(metric: str) -> str:
    return re.sub(r"[（(].*?[)）]", "", metric)


def wording_metric(groups: list[tuple[str, bool]], wording: str, *, category: bool = False) -> str | None:
    """The metric group (name, is_share) a question's wording points at, by per-character overlap; None if none.

    Share columns only when the wording says share; a spending question without 'consumption' means
    spending on the service itself, not the overall consumption spending ('人均网约车支出' ≠ 人均消费支出) —
    unless the row is named as a ``category`` that stands for narrower services ('catering spending').
    """
    if not wording:
        return None
    wants_share = "占比" in wording or "比重" in wording
    cands = [name for name, is_share in groups if is_share == wants_share] or [name for name, _ in groups]
    qualifiers = [_name(n).replace(SPEND_WORD, "").replace("人均", "") for n in cands if CONSUME_WORD not in n and SPEND_WORD in n]
    names_narrower = any(q and q in wording for q in qualifiers)  # the narrower column's own words ('…型服务支出')
    if SPEND_WORD in wording and category and not names_narrower:
        overall = [n for n in cands if CONSUME_WORD in n]  # 'catering spending': a category, not its shared service
        cands = overall or cands
    elif SPEND_WORD in wording and CONSUME_WORD not in wording:
        narrower = [n for n in cands if CONSUME_WORD not in n and SPEND_WORD in n]
        cands = narrower or cands
    chars = set(wording) - {"人", "均"}
    scored = []
    for name in cands:
        own = set(_name(name)) - {"人", "均"}
        hit = len(own & chars)
        if hit >= 2:
            scored.append((hit / max(len(own), 1), hit, -cands.index(name), name))
    return max(scored)[3] if scored else None


def named_table(question: str) -> str | None:
    """The table the question names by number ('表3', 'Table 3') as its id, else None."""
    ref = TABLE_REF.search(question)
    return f"表{ref.group(1) or ref.group(2)}" if ref else None
