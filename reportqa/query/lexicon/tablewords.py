"""Question vocabulary for table QA: years, operation words (both languages), fillers and stopwords.

These are words of questions in general (倍, 合计, 最高, how many times, combined …), never of one report.
"""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.])")
YEAR_RANGE = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})\s*年?\s*(?:-|–|—|－|~|～|至|到|through|to|and)\s*((?:19|20)\d{2})(?![\d.])", re.I
)
ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
EN_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

# Operation vocabulary (question words, both languages).
RATIO = re.compile(r"倍|how many times|times (?:as|larger|bigger|higher|greater|more|that)|\bratio\b", re.I)
SHARE_WORD = re.compile(r"占比|比重|比例|份额|占.{0,12}(?:的)?(?:多少|几成|百分之)|\bshare\b|proportion|percentage of|fraction|what percent", re.I)
TOTAL_WORD = re.compile(r"总|全部|整体|所有领域|\btotal\b|overall|\bwhole\b|\ball (?:domains|sectors|fields)", re.I)
SUM = re.compile(r"合计|总和|之和|加起来|加总|一共|共计|累计|combined|together|\bsum\b|in total|altogether|add(?:ed)? up|cumulative", re.I)
COMPARE = re.compile(
    r"哪个(?:更|较)|哪一个(?:更|较)|谁(?:更|较)|更(?:高|大|多|低|小|少|快)|是否(?:高于|低于|超过)|高于|低于|"
    r"比.{1,12}(?:高|低|大|小|多|少)|higher|lower|larger|bigger|smaller|greater|\b(?:more|less|fewer)\b.{0,60}\bthan\b|"
    r"compare|comparison|versus|\bvs\.?\b|exceed|相差|差距|差多少|差了|差额|\bgap\b|difference between",
    re.I,
)
RANK = re.compile(
    r"最(?:高|大|多|低|小|少|快|慢|严重)|排名|排序|排在|前[一二三四五六七八九十\d]+(?:名|位|个)?|倒数|"
    r"\btop\b|\blargest\b|\bhighest\b|\bbiggest\b|\bsmallest\b|\blowest\b|\bleast\b|\bmost\b|fastest|slowest|"
    r"\brank|which (?:domain|sector|field|area|segment)s?|哪个领域|哪些领域|哪一领域|哪个行业",
    re.I,
)
ASCENDING = re.compile(r"最(?:低|小|少|慢)|倒数|smallest|lowest|\bleast\b|slowest|fewest|bottom", re.I)
DECLINE = re.compile(r"降幅|下降|下滑|减少|缩水|萎缩|跌|declin|\bdrop|\bfell\b|\bfall|shr[ai]nk|contract|decreas|lost", re.I)
GROWTH = re.compile(
    r"增速|增长率|增幅|降幅|同比|增长最快|growth|grow|grew|increas|\brose\b|\brise\b|year[\s-]on[\s-]year|\byoy\b|percent(?:age)? change|"
    r"% change|by what percent|how fast|\brate of (?:change|growth)",
    re.I,
)
RATE_WORD = re.compile(r"增速|增长率|增幅|降幅|率|percent|%|\brate\b|how fast|year[\s-]on[\s-]year|同比", re.I)
CHANGE = re.compile(
    r"变化|变动|增加|减少|提高|提升|下降|下滑|增长了|减少了|差额|相差|差距|多了|少了|较上年|比上年|"
    r"difference|chang|increas|decreas|\brise\b|\brose\b|\bfell\b|\bfall|\bdrop|declin|grow|grew|gap",
    re.I,
)
SUB_ANNUAL = re.compile(
    r"季度|上半年|下半年|前三季|(?<![\d年])\d{1,2}\s*月|[一二三四五六七八九十]+月|\bquarter|\bQ[1-4]\b|first half|second half|"
    r"\bH[12]\b|\bmonth|January|February|March|April|\bMay\b|June|July|August|September|October|November|December",
    re.I,
)
TABLE_REF = re.compile(r"表\s*(\d+)|\btable\s*(\d+)", re.I)
WHY = re.compile(r"为什么|为何|原因|\bwhy\b|\breasons?\b|\bcauses?\b|\bexplain", re.I)
UNIT_TERMS = frozenset({"百分点"})  # glossary terms that name a unit, not a subject
ABSOLUTE = re.compile(r"绝对|金额|absolute|in (?:yuan|cny)|amount", re.I)

# Words that carry no subject: removing them (and glossary terms, years, op words) leaves unknown subjects.
ZH_FILLER = re.compile(
    r"请问|报告|根据|数据|情况|多少|几|是|的|了|在|中|年|领域|行业|市场|我国|中国|全国|国内|哪个|哪些|哪一|什么|"
    r"有|为|呢|吗|啊|吧|和|与|及|以及|或|跟|同|分别|各|各个|个|前|名|位|倍|最|更|较|比|占|上|同比|环比|增长|下降|"
    r"变化|增加|减少|提高|提升|合计|总|共|累计|高|低|大|小|多|少|快|慢|排名|排序|如何|怎样|多大|主要|相比|相较|"
    r"达到|达|约|大约|一共|全部|整体|所有|之|和|相差|差|涨|跌|幅|速|率|从|到|至|间|之间|期间|时|其|该|这|那|"
    r"服务|共享|总体|水平|规模|情况|金额|数量|是否|高于|低于|超过|还是|谁|程度|变动|降幅|增幅|增速|下滑|萎缩|"
    r"绝对|值|量|于|对|给|向|由|被|把|将|按|以|用|元|亿元|万人|人|比例|倒数|第"
)
EN_STOP = set(
    """a an the of in on at to for from by with and or vs versus what which who whom whose how much many was were is are
    be been being did do does done has have had it its this that these those than then there their between among across
    during over per as into about value figure number amount level according report say says said tell me please
    give show list compare comparison higher lower larger bigger smaller greater more less fewer most least largest
    highest biggest smallest lowest top rank ranked ranking change changed changes increase increased decrease decreased
    rise rose fall fell drop dropped decline declined grow grew growth rate percent percentage times ratio times sum
    combined together total overall whole all domain domains sector sectors field fields area areas segment segments
    year years china chinese china's country national year-on-year yoy share proportion fraction cny yuan rmb billion
    million people absolute terms compared relative previous prior last up down by fast slow fastest slowest if
    so such any some each other when where why can could would should will shall may might not no only also
    raise raised reach reached amounted amount stood stand around roughly approximately about nearly just
    previous shared sharing economy economic main major key big biggest large larger size market markets 's
    spend spent get got make made value values data figure figures respectively one only two three four five six
    seven service services according table combined sectors whose which rank fastest fell fall saw see""".split()
)

# Ordinal positions in a ranking: '排第二', '第三大', 'second-largest', '3rd highest'.
ORDINAL = re.compile(
    r"排(?:名|在)?\s*第\s*([二三四五六七八九十]|\d{1,2})|第\s*([二三四五六七八九十]|\d{1,2})\s*(?:大|高|多|小|低|少|名|位|的)|"
    r"\b(second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th)[\s-]*(?:largest|highest|biggest|most|greatest|"
    r"smallest|lowest|least|fewest|place|ranked|rank)",
    re.I,
)
EN_ORDINAL = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6}
# 'the two smallest' in Chinese: '最小的两个', '最大的三个领域'.
EXTREME_N = re.compile(r"最(?:高|大|多|低|小|少)的?\s*([两二三四五六七八九十]|\d)\s*(?:个|名|位|项|类)")

# Metric paraphrases: question words (both languages) mapped to the Chinese words a metric name uses.
# '人均' qualifies every column of a per-capita table, so it never picks a metric on its own.
PARAPHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"average (?:person|resident|consumer|user|household)|per (?:person|head|resident|user)|per[\s-]capita|人均", re.I), "人均"),
    (re.compile(r"consum(?:ption|er)|消费", re.I), "消费"),
    (re.compile(r"shared[\s-]services?|共享型服务", re.I), "共享型服务"),
    (re.compile(r"\bspend(?:ing|s)?\b|\bspent\b|expenditures?|expenses?|outlays?|支出|花费|花了", re.I), "支出"),
)
BY_PERCENT = re.compile(r"by what percent(?:age)?|by how many percent|by how much percent", re.I)
SPEND_WORD = "支出"
CONSUME_WORD = "消费"
# Metric aliases that name no particular column of a per-capita spending table ('per-capita spending'
# fits every column there): the question's other words choose the column.
GENERIC_FORMS = frozenset({"规模", "per-capita", "per capita", "size", "scale", "per-capita spending", "per capita spending"})
SHARE_PICK = re.compile(r"占比|比重|比例|份额|\bshare\b|proportion|fraction", re.I)


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
    if SPEND_WORD in wording and category and "共享型服务" not in wording:
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
