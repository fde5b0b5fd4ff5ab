"""Table computations by class, on the bundled report and on the synthetic report (other rows, other units).

Each case: a question → the operation, the computed figure (last figure of the result, as printed) and the cells it
came from; the answer text shows the derivation with the printed inputs. Expected figures are worked by hand
from the printed cells. A third, inline table (a count with its rate, a whole with its part) proves the
two-column figures on rows and columns no code names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.tables import extract_tables
from reportqa.query.lexicon.glossary import Glossary, load_glossary, parse_glossary
from reportqa.query.render import table_answer
from reportqa.query.tables.tableqa import TableResult, execute, parse_table_query
from reportqa.records import Table

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "china-sharing-economy-report-2023.txt"
SYNTHETIC = ROOT / "tests" / "data" / "synthetic-report.txt"
BATTERY = ROOT / "corpus" / "china-power-battery-recycling-report-2024.txt"

# A small table of another kind: a count with its rate (表1), a whole with its part and their share (表2).
VISITS = """三、游客与消费

表 1 2023年临江市主要景区线上预订情况

景区类型 预订人次（万人次） 线上预订率

山岳景区 312.6 58.20%

古镇景区 204.0 71.35%

博物馆 96.3 82.10%

注：线上预订率为线上预订人次占全部接待人次的比重。

表 2 2022-2023年临江市游客人均花费构成

类别
人均花费（元） 线上花费（元） 线上花费占比

2022年 2023年 2022年 2023年 2022年 2023年

住宿 420.5 455.0 160.2 181.4 38.1% 39.9%

餐饮 310.8 336.2 62.1 79.0 20.0% 23.5%

门票 88.0 92.4 70.6 78.3 80.2% 84.7%

数据来源：临江市文化和旅游局
"""
VISITS_GLOSSARY = """古镇景区\tancient towns|ancient town\trow
山岳景区\tmountain scenic areas|mountain areas\trow
餐饮\tcatering|food\trow
预订人次\tbookings|booked visits\tmetric
线上预订率\tonline booking rate\tmetric
人均花费\tper-capita spending|spending per visitor\tmetric
线上花费\tonline spending\tmetric
"""


@pytest.fixture(scope="module")
def reports() -> dict[str, tuple[list[Table], Glossary]]:
    bundled = load_glossary(ROOT / "corpus" / "china-sharing-economy-report-2023.glossary.tsv")
    return {
        "bundled": (extract_tables(REPORT.read_text(encoding="utf-8")), bundled),
        "synthetic": (extract_tables(SYNTHETIC.read_text(encoding="utf-8")), load_glossary(ROOT / "tests" / "data" / "synthetic-glossary.tsv")),
        "visits": (extract_tables(VISITS), parse_glossary(VISITS_GLOSSARY)),
        "battery": (extract_tables(BATTERY.read_text(encoding="utf-8")),
                    load_glossary(ROOT / "corpus" / "china-power-battery-recycling-report-2024.glossary.tsv")),
    }


def run(question: str, tables: list[Table], glossary: Glossary) -> TableResult:
    query = parse_table_query(question, tables, glossary)
    assert query is not None, f"not parsed as a table question: {question}"
    return execute(query, tables)


# (report, question, op, last figure as printed, its unit, cell ids used)
CASES = [
    # rows picked by how they changed, then summed or listed (blind set K's first run)
    pytest.param("bundled", "2022年交易额同比负增长的领域合计交易额是多少？", "sum", ["2012", "115", "132", "2259"], ["亿元"] * 4,
                 ["表1/交通出行/2022年", "表1/共享住宿/2022年", "表1/共享办公/2022年"], id="condition-sum-zh"),
    pytest.param("bundled", "2022年交易额比上年缩水的那几个领域，加起来一共少了多少亿？", "change", ["-80", "-37.7%", "-449"],
                 ["亿元", "%", "亿元"],
                 ["表1/交通出行/2021年", "表1/交通出行/2022年", "表1/交通出行/2022年同比增速", "表1/共享住宿/2021年", "表1/共享住宿/2022年",
                  "表1/共享住宿/2022年同比增速", "表1/共享办公/2021年", "表1/共享办公/2022年", "表1/共享办公/2022年同比增速"],
                 id="condition-changes-summed-zh"),
    pytest.param("bundled", "Total absolute decline across the segments whose 2022 transaction volume shrank?", "change", ["-449"], ["亿元"],
                 ["表1/交通出行/2021年", "表1/交通出行/2022年", "表1/交通出行/2022年同比增速", "表1/共享住宿/2021年", "表1/共享住宿/2022年",
                  "表1/共享住宿/2022年同比增速", "表1/共享办公/2021年", "表1/共享办公/2022年", "表1/共享办公/2022年同比增速"],
                 id="condition-changes-summed-en"),
    pytest.param("synthetic", "2023年消费规模增速超过15%的领域合计多少亿元", "sum", ["25.1", "4.2", "29.3"], ["亿元"] * 3,
                 ["表1/智慧景区/2023年", "表1/数字博物馆/2023年"], id="condition-threshold-sum-zh-synthetic"),
    pytest.param("synthetic", "Total 2023 consumption of the sectors whose growth exceeded 15%", "sum", ["29.3"], ["亿元"],
                 ["表1/智慧景区/2023年", "表1/数字博物馆/2023年"], id="condition-threshold-sum-en-synthetic"),
    pytest.param("synthetic", "Which sectors grew by more than 15% in 2023?", "rank", ["20.0%", "15.2%"], ["%", "%"],
                 ["表1/数字博物馆/2023年同比增速", "表1/智慧景区/2023年同比增速"], id="condition-list-en-synthetic"),
    # one row less the others; a compound annual growth rate over a span
    pytest.param("battery", "2023年规范渠道回收量减去梯次利用量和再生利用量后还剩多少？", "minus", ["28.3", "6.2", "21.7", "0.4"], ["万吨"] * 4,
                 ["表1/规范渠道回收/2023年", "表1/梯次利用/2023年", "表1/再生利用/2023年"], id="minus-zh"),
    pytest.param("battery", "Regulated collection minus cascade use minus regeneration in 2023 — how much is left?", "minus", ["0.4"], ["万吨"],
                 ["表1/规范渠道回收/2023年", "表1/梯次利用/2023年", "表1/再生利用/2023年"], id="minus-en"),
    pytest.param("battery", "CAGR of retired battery volume 2021-2023?", "cagr", ["29.4", "58.6", "41.2"], ["万吨", "万吨", "%"],
                 ["表1/退役动力电池/2021年", "表1/退役动力电池/2023年"], id="cagr-en"),
    pytest.param("synthetic", "2021到2023年智慧景区投资额年均复合增长率是多少？", "cagr", ["12", "26", "47.2"], ["亿元", "亿元", "%"],
                 ["表2/智慧景区/2021年", "表2/智慧景区/2023年"], id="cagr-zh-synthetic"),
    # the word for a sum beside a row is no row ('梯次利用量合计'), nor is the caption's subject beside a row
    pytest.param("battery", "2021-2023年三年梯次利用量合计多少万吨", "sum", ["2.6", "4.1", "6.2", "12.9"], ["万吨"] * 4,
                 ["表1/梯次利用/2021年", "表1/梯次利用/2022年", "表1/梯次利用/2023年"], id="years-sum-with-sum-word-row"),
    pytest.param("battery", "2021到2023年动力电池回收利用产业总产值三年累计是多少？", "sum", ["522", "944", "907", "2373"], ["亿元"] * 4,
                 ["表4/合计/2021年", "表4/合计/2022年", "表4/合计/产值（亿元）/2023年"], id="years-sum-of-the-total-row-battery"),
    pytest.param("battery", "2021年通过规范渠道回收的退役动力电池有多少万吨？", "value", ["11.8"], ["万吨"], ["表1/规范渠道回收/2021年"],
                 id="row-of-the-captions-subject"),
    pytest.param("battery", "华南那边正规渠道回收了多少电池？", "value", ["5.4"], ["万吨"], ["表3/华南/规范渠道回收量（万吨）"],
                 id="another-tables-row-names-this-tables-measure"),
    pytest.param("battery", "Which battery category in Table 2 had the fastest YoY growth in 2023?", "rank", ["100.0%"], ["%"],
                 ["表2/其他类型/2023年/同比增速"], id="caption-term-is-the-tables-subject"),
    # a ranking by a growth verb with no measure named reads the growth column; 'which <kind of row>' picks the table
    # by that kind of row; 'Tbl 2' names a table (blind set M's first run)
    pytest.param("bundled", "Which sector grew fastest in 2022?", "rank", ["8.4%"], ["%"], ["表1/生活服务/2022年同比增速"],
                 id="rank-by-growth-verb-en"),
    pytest.param("synthetic", "2023年哪个领域增长最快", "rank", ["20.0%"], ["%"], ["表1/数字博物馆/2023年同比增速"],
                 id="rank-by-growth-verb-zh-synthetic"),
    pytest.param("battery", "哪种电池2023年增长最快", "rank", ["100.0%"], ["%"], ["表2/其他类型/2023年/同比增速"],
                 id="rank-by-growth-verb-kind-of-row-zh"),
    pytest.param("battery", "Which battery category in Tbl 2 grew fastest in 2023 and by how much?", "rank", ["100.0%"], ["%"],
                 ["表2/其他类型/2023年/同比增速"], id="rank-abbreviated-table-ref-en"),
    pytest.param("bundled", "Which sector attracted the most direct financing in 2022?", "rank", ["51"], ["亿元"], ["表4/生活服务/2022年"],
                 id="rank-with-a-general-verb-en"),
    pytest.param("battery", "Which region had the fewest certified enterprises in 2023, and how many?", "rank", ["6"], ["家"],
                 ["表3/西北/规范条件企业（家）"], id="rank-fewest-by-region-en"),
    # the share of another row of the table that the question names as a measure, not of the total row
    pytest.param("battery", "2023年进入梯次利用和再生利用环节的电池合计占规范渠道回收量的比重？", "share_of_total", ["21.9", "76.7", "98.6"],
                 ["%"] * 3, ["表1/梯次利用/2023年", "表1/规范渠道回收/2023年", "表1/再生利用/2023年"], id="share-of-a-named-row-zh"),
    pytest.param("battery", "In 2023, what share of the regulated-channel recovery volume went to recycling?", "share_of_total", ["76.7"],
                 ["%"], ["表1/再生利用/2023年", "表1/规范渠道回收/2023年"], id="share-of-a-named-row-en"),
    # the caption's subject beside the rows asked is the table's whole, and 'volume' its own level column
    pytest.param("battery", "Combined share of LFP + ternary in China's 2023 retired battery volume?", "share_of_total",
                 ["60.8", "35.3", "96.1"], ["%"] * 3, ["表2/磷酸铁锂电池/2023年/退役量（万吨）", "表2/合计/2023年/退役量（万吨）",
                                                       "表2/三元锂电池/2023年/退役量（万吨）"], id="combined-share-caption-subject-en"),
    # a measure another table prints in the same unit, of a row of this table, is that row's level
    pytest.param("battery", "What volume of retired batteries went to cascade use in 2022?", "value", ["4.1"], ["万吨"], ["表1/梯次利用/2022年"],
                 id="measure-of-another-table-same-unit"),
    # blind set N's classes: a row named as row and as measure reads the row's level over years; 'lost the most' ranks by
    # the absolute fall; a slash joins two names of one excluded row; '占了快一半吗' asks a share
    pytest.param("battery", "YoY increase in compliant-channel collection volume, 2022→2023, in 万吨?", "change", ["9.8", "53.0%"],
                 ["万吨", "%"], ["表1/规范渠道回收/2022年", "表1/规范渠道回收/2023年", "表1/规范渠道回收/2023年同比增速"],
                 id="row-named-as-row-and-measure-change"),
    pytest.param("battery", "CAGR of compliant-channel collection volume 2021–2023?", "cagr", ["11.8", "28.3", "54.9"], ["万吨", "万吨", "%"],
                 ["表1/规范渠道回收/2021年", "表1/规范渠道回收/2023年"], id="row-named-as-row-and-measure-cagr"),
    pytest.param("bundled", "Which sharing-economy segment lost the most transaction value in absolute terms from 2021 to 2022?",
                 "rank", None, None, None, id="rank-by-absolute-fall-en"),
    pytest.param("bundled", "生活服务在共享经济里占了快一半吗？具体多少", "share_of_total", ["48.4"], ["%"],
                 ["表1/生活服务/2022年", "表1/总计/2022年"], id="share-asked-colloquially-zh"),
    # absolute change of one row between two years
    pytest.param("battery", "2021年到2023年退役动力电池规模一共涨了多少万吨？", "change", ["29.2", "99.3"], ["万吨", "%"],
                 ["表1/退役动力电池/2021年", "表1/退役动力电池/2023年"], id="change-over-a-span-colloquial-zh"),
    pytest.param("bundled", "共享住宿交易额2022年比2021年少了多少亿？", "change", ["-37", "-24.3%"], ["亿元", "%"],
                 ["表1/共享住宿/2021年", "表1/共享住宿/2022年", "表1/共享住宿/2022年同比增速"], id="change-zh"),
    pytest.param("bundled", "By how much did the transport sharing market shrink from 2021 to 2022 in absolute terms?", "change",
                 ["-332", "-14.2%"], ["亿元", "%"], ["表1/交通出行/2021年", "表1/交通出行/2022年", "表1/交通出行/2022年同比增速"], id="change-en-shrink"),
    pytest.param("synthetic", "2023年文创电商消费规模比2022年增加了多少亿元？", "change", ["7.7", "11.0%"], ["亿元", "%"],
                 ["表1/文创电商/2022年", "表1/文创电商/2023年", "表1/文创电商/2023年同比增速"], id="change-zh-synthetic"),
    pytest.param("synthetic", "How much did online travel booking consumption rise from 2022 to 2023?", "change", ["8.6", "13.9%"], ["亿元", "%"],
                 ["表1/在线旅游预订/2022年", "表1/在线旅游预订/2023年", "表1/在线旅游预订/2023年同比增速"], id="change-en-synthetic"),
    pytest.param("bundled", "How much did total sharing-economy transaction volume increase in 2022 over 2021?", "change", ["1439", "3.9%"], ["亿元", "%"],
                 ["表1/总计/2021年", "表1/总计/2022年", "表1/总计/2022年同比增速"], id="change-of-a-total-is-not-a-sum-en"),
    pytest.param("bundled", "2021年共享经济直接融资总额比2020年增长了多少", "change", ["952", "80.3"], ["亿元", "%"],
                 ["表4/总计/2020年", "表4/总计/2021年"], id="change-of-a-total-is-not-a-sum-zh"),
    # combined share of several rows
    pytest.param("bundled", "生活服务、生产能力、知识技能三个领域加起来占2022年共享经济交易总额的比重是多少？", "share_of_total",
                 ["48.4", "32.7", "12.5", "93.7"], ["%"] * 4,
                 ["表1/生活服务/2022年", "表1/总计/2022年", "表1/生产能力/2022年", "表1/知识技能/2022年"], id="combined-share-zh"),
    pytest.param("bundled", "combined share of life services and production capacity in 2022 sharing economy total", "share_of_total",
                 ["48.4", "32.7", "81.1"], ["%"] * 3, ["表1/生活服务/2022年", "表1/总计/2022年", "表1/生产能力/2022年"], id="combined-share-en"),
    pytest.param("synthetic", "2023年在线旅游预订、文创电商两个领域加起来占消费规模总计的比重", "share_of_total", ["37.7", "41.6", "79.4"], ["%"] * 3,
                 ["表1/在线旅游预订/2023年", "表1/总计/2023年", "表1/文创电商/2023年"], id="combined-share-zh-synthetic"),
    pytest.param("synthetic", "combined share of smart scenic areas and online performances in total consumption in 2023", "share_of_total",
                 ["13.5", "4.9", "18.4"], ["%"] * 3, ["表1/智慧景区/2023年", "表1/总计/2023年", "表1/在线演出/2023年"], id="combined-share-en-synthetic"),
    # rows joined by '+', or 'total … across' rows, are summed (blind set S's classes)
    pytest.param("synthetic", "Share of 2023 total consumption from smart scenic areas + online performances?", "share_of_total",
                 ["13.5", "4.9", "18.4"], ["%"] * 3, ["表1/智慧景区/2023年", "表1/总计/2023年", "表1/在线演出/2023年"], id="plus-share-en-synthetic"),
    pytest.param("synthetic", "total 2023 investment across smart scenic areas and immersive experiences", "sum", ["26", "14", "40"],
                 ["亿元"] * 3, ["表2/智慧景区/2023年", "表2/沉浸式体验/2023年"], id="total-across-en-synthetic"),
    # growth 'in total' over a span of years is the growth from its first year to its last, not a sum of the years
    pytest.param("synthetic", "By what percentage did smart scenic area investment grow from 2021 to 2023 in total?", "growth",
                 ["116.7"], ["%"], ["表2/智慧景区/2021年", "表2/智慧景区/2023年"], id="span-growth-in-total-en-synthetic"),
    pytest.param("battery", "By what percentage did retired battery volume grow from 2021 to 2023 in total?", "growth",
                 ["99.3"], ["%"], ["表1/退役动力电池/2021年", "表1/退役动力电池/2023年"], id="span-growth-in-total-en"),
    # a span named by its length ('三年', 'the three years') is the table's last years (blind set U's class)
    pytest.param("battery", "表4里装备制造三年产值加起来多少", "sum", ["27", "39", "52", "118"], ["亿元"] * 4,
                 ["表4/装备制造/2021年", "表4/装备制造/2022年", "表4/装备制造/产值（亿元）/2023年"], id="years-by-count-zh"),
    pytest.param("synthetic", "What was the total investment in smart scenic areas over the three years?", "sum", ["12", "18", "26", "56"],
                 ["亿元"] * 4, ["表2/智慧景区/2021年", "表2/智慧景区/2022年", "表2/智慧景区/2023年"], id="years-by-count-en-synthetic"),
    # a sum over years of one row
    pytest.param("bundled", "表4中交通出行2020到2022年三年的直接融资加起来是多少？", "sum", ["115", "485", "23", "623"], ["亿元"] * 4,
                 ["表4/交通出行/2020年", "表4/交通出行/2021年", "表4/交通出行/2022年"], id="years-sum-zh"),
    pytest.param("synthetic", "2021-2023年智慧景区累计投资额", "sum", ["12", "18", "26", "56"], ["亿元"] * 4,
                 ["表2/智慧景区/2021年", "表2/智慧景区/2022年", "表2/智慧景区/2023年"], id="years-sum-zh-synthetic"),
    pytest.param("synthetic", "What was the total investment in immersive experiences from 2021 to 2023?", "sum", ["5", "9", "14", "28"], ["亿元"] * 4,
                 ["表2/沉浸式体验/2021年", "表2/沉浸式体验/2022年", "表2/沉浸式体验/2023年"], id="years-sum-en-synthetic"),
    pytest.param("bundled", "2020-2022年直接融资累计多少", "sum", ["1185", "2137", "132", "3454"], ["亿元"] * 4,
                 ["表4/总计/2020年", "表4/总计/2021年", "表4/总计/2022年"], id="years-sum-of-the-total-row"),
    # all rows but the excluded ones, summed
    pytest.param("bundled", "除生活服务以外，其他领域2022年交易额合计是多少？", "sum", ["19772"], ["亿元"],
                 ["表1/交通出行/2022年", "表1/共享住宿/2022年", "表1/知识技能/2022年", "表1/共享医疗/2022年", "表1/共享办公/2022年",
                  "表1/生产能力/2022年"], id="sum-excluding-zh"),
    pytest.param("bundled", "All sectors other than life services combined, what was their 2022 transaction volume?", "sum", ["19772"], ["亿元"],
                 ["表1/交通出行/2022年", "表1/共享住宿/2022年", "表1/知识技能/2022年", "表1/共享医疗/2022年", "表1/共享办公/2022年",
                  "表1/生产能力/2022年"], id="sum-excluding-en"),
    pytest.param("synthetic", "All sectors other than smart scenic areas combined, what was their 2023 investment?", "sum", ["31"], ["亿元"],
                 ["表2/沉浸式体验/2023年", "表2/数字藏品/2023年", "表2/文旅平台/2023年"], id="sum-excluding-en-synthetic-bound"),
    # whole − part of one row (two columns)
    pytest.param("bundled", "2022年人均餐饮消费支出中，除去外卖（共享型服务）之外的部分是多少元？", "remainder", ["3111.6", "789.7", "2321.9"],
                 ["元"] * 3, ["表3/餐饮/人均消费支出（元）/2022年", "表3/餐饮/共享型服务支出（元）/2022年"], id="remainder-zh"),
    pytest.param("visits", "2023年餐饮人均花费中除去线上花费之外的部分是多少元", "remainder", ["336.2", "79.0", "257.2"], ["元"] * 3,
                 ["表2/餐饮/人均花费（元）/2023年", "表2/餐饮/线上花费（元）/2023年"], id="remainder-zh-other-table"),
    pytest.param("visits", "Apart from online spending, what was the rest of per-capita spending on catering in 2023?", "remainder",
                 ["336.2", "79.0", "257.2"], ["元"] * 3, ["表2/餐饮/人均花费（元）/2023年", "表2/餐饮/线上花费（元）/2023年"], id="remainder-en-other-table"),
    # a count divided by its rate
    pytest.param("bundled", "根据网约车用户规模和网民普及率推算网民规模", "implied", ["40507", "38.54%", "105104"], ["万人", "%", "万人"],
                 ["表2/网约车/用户规模（万人）", "表2/网约车/网民普及率"], id="implied-zh"),
    pytest.param("visits", "根据古镇景区预订人次和线上预订率推算其接待总人次", "implied", ["204.0", "71.35%", "285.9"], ["万人次", "%", "万人次"],
                 ["表1/古镇景区/预订人次（万人次）", "表1/古镇景区/线上预订率"], id="implied-zh-other-table"),
    pytest.param("visits", "What is the implied total of visits to ancient towns, given their bookings and online booking rate?", "implied",
                 ["204.0", "71.35%", "285.9"], ["万人次", "%", "万人次"], ["表1/古镇景区/预订人次（万人次）", "表1/古镇景区/线上预订率"],
                 id="implied-en-other-table"),
    # one table's total as a share of another table's (same unit, same year)
    pytest.param("bundled", "2022年直接融资占共享经济交易额的比重", "cross", ["132", "38320", "0.34"], ["亿元", "亿元", "%"],
                 ["表4/总计/2022年", "表1/总计/2022年"], id="cross-share-zh"),
    pytest.param("bundled", "What share of the 2022 sharing economy transaction volume did direct financing represent?", "cross",
                 ["132", "38320", "0.34"], ["亿元", "亿元", "%"], ["表4/总计/2022年", "表1/总计/2022年"], id="cross-share-en"),
    pytest.param("bundled", "2022年共享经济直接融资规模相当于交易规模的百分之几", "cross", ["132", "38320", "0.34"], ["亿元", "亿元", "%"],
                 ["表4/总计/2022年", "表1/总计/2022年"], id="cross-share-zh-as-many-percent"),
    pytest.param("synthetic", "2023年投资额总计占消费规模总计的比重", "cross", ["57", "186.5", "30.6"], ["亿元", "亿元", "%"],
                 ["表2/总计/2023年", "表1/总计/2023年"], id="cross-share-zh-synthetic"),
    pytest.param("synthetic", "What share of 2023 total consumption did total investment represent?", "cross", ["57", "186.5", "30.6"],
                 ["亿元", "亿元", "%"], ["表2/总计/2023年", "表1/总计/2023年"], id="cross-share-en-synthetic"),
    # percentage-point change of a share column
    pytest.param("bundled", "2022年餐饮共享型服务支出占比比2021年提高了多少个百分点", "change", ["4.0"], ["个百分点"],
                 ["表3/餐饮/共享型服务支出占比/2021年", "表3/餐饮/共享型服务支出占比/2022年"], id="points-zh"),
    pytest.param("visits", "2023年门票线上花费占比比2022年提高了多少个百分点", "change", ["4.5"], ["个百分点"],
                 ["表2/门票/线上花费占比/2022年", "表2/门票/线上花费占比/2023年"], id="points-zh-other-table"),
]


@pytest.mark.parametrize(("report", "question", "op", "printed", "units", "cells"), CASES)
def test_computations_match_hand_worked_figures(report: str, question: str, op: str, printed: list[str], units: list[str],
                                                cells: list[str], reports) -> None:
    tables, glossary = reports[report]
    result = run(question, tables, glossary)
    assert result.answerable and result.op == op
    if printed is None:  # a ranking: its winner is checked below
        assert result.winner == "交通出行" and result.figures[0].printed == "-332", (result.winner, result.figures[0].printed)
        return
    assert [f.printed for f in result.figures][-len(printed):] == printed
    assert [f.unit for f in result.figures][-len(units):] == units
    assert [c.id for c in result.cells] == cells


# (report, question, rows left out, winner, its figure, the winner's level named in the answer)
EXCLUDED_RANKS = [
    pytest.param("bundled", "Apart from life services, which sector grew fastest in transaction volume in 2022?", ["生活服务"], "共享医疗", "8.2%", "159亿元", id="en"),
    pytest.param("bundled", "除生活服务以外，2022年哪个领域交易额增速最快？", ["生活服务"], "共享医疗", "8.2%", "159亿元", id="zh"),
    pytest.param("bundled", "除交通出行和生活服务外，2022年哪个领域融资最多", ["交通出行", "生活服务"], "共享住宿", "33", "", id="zh-two-rows-left-out"),
    pytest.param("bundled", "Besides shared office, which sector's direct financing fell the most in 2022?", ["共享办公"], "生产能力", "-99.4%", "2亿元",
                 id="en-largest-fall"),
    pytest.param("synthetic", "除文创电商以外，2023年哪个领域消费规模增速最快？", ["文创电商"], "数字博物馆", "20.0%", "4.2亿元", id="zh-synthetic"),
    pytest.param("synthetic", "Apart from digital museums, which sector grew fastest in consumption in 2023?", ["数字博物馆"], "智慧景区", "15.2%", "25.1亿元", id="en-synthetic"),
]


@pytest.mark.parametrize(("report", "question", "excluded", "winner", "printed", "level"), EXCLUDED_RANKS)
def test_rankings_leave_out_the_excluded_rows_and_give_the_winners_level(report: str, question: str, excluded: list[str], winner: str,
                                                                          printed: str, level: str, reports) -> None:
    tables, glossary = reports[report]
    result = run(question, tables, glossary)
    assert result.op == "rank" and result.query.excluded == excluded
    assert (result.winner, result.figures[0].printed) == (winner, printed)
    assert not any(f.label in excluded for f in result.ranking)
    assert level in table_answer(result, result.query.language, glossary)


# (report, question, position, row, printed)
LARGEST_WITH_VALUE = [
    pytest.param("bundled", "Which sector ranked second by sharing-economy transaction volume in 2022?", 2, "生产能力", "12548", id="en-ranked-second"),
    pytest.param("bundled", "2021年哪个领域的直接融资最多？金额多少？", None, "生活服务", "750", id="zh-most-and-amount"),
    pytest.param("bundled", "Which sector had the smallest sharing-economy transaction volume in 2022, and how big was it?", None, "共享住宿", "115", id="en-smallest-and-size"),
    pytest.param("synthetic", "2023年消费规模第二大的领域是哪个，规模多少", 2, "在线旅游预订", "70.4", id="zh-second-synthetic"),
    pytest.param("synthetic", "Which sector had the smallest consumption in 2023, and how much was it?", None, "数字博物馆", "4.2", id="en-smallest-synthetic"),
]


@pytest.mark.parametrize(("report", "question", "position", "row", "printed"), LARGEST_WITH_VALUE)
def test_the_ranked_row_comes_with_its_value(report: str, question: str, position: int | None, row: str, printed: str, reports) -> None:
    tables, glossary = reports[report]
    result = run(question, tables, glossary)
    assert result.op == "rank" and result.query.position == position
    assert (result.figures[0].label, result.figures[0].printed) == (row, printed)
    assert printed in table_answer(result, result.query.language, glossary)


@pytest.mark.parametrize(
    ("report", "question", "derivation"),
    [
        pytest.param("bundled", "2022年人均餐饮消费支出中，除去外卖（共享型服务）之外的部分是多少元？", "= 3111.6 − 789.7", id="remainder"),
        pytest.param("bundled", "根据网约车用户规模和网民普及率推算网民规模", "= 40507 ÷ 38.54%", id="implied"),
        pytest.param("bundled", "2022年直接融资占共享经济交易额的比重", "= 132 ÷ 38320", id="cross"),
        pytest.param("bundled", "生活服务、生产能力、知识技能三个领域加起来占2022年共享经济交易总额的比重是多少？", "93.7%（= (18548 + 12548 + 4806) ÷ 38320）", id="combined-share"),
        pytest.param("synthetic", "2021-2023年智慧景区累计投资额", "56亿元（= 12 + 18 + 26", id="years-sum"),
        pytest.param("synthetic", "What share of 2023 total consumption did total investment represent?", "(= 57 ÷ 186.5; both in 亿元", id="cross-en"),
    ],
)
def test_answers_state_the_derivation_with_the_printed_inputs(report: str, question: str, derivation: str, reports) -> None:
    tables, glossary = reports[report]
    result = run(question, tables, glossary)
    assert derivation in table_answer(result, result.query.language, glossary)


def test_a_bounded_cell_makes_the_excluding_sum_an_interval(reports) -> None:
    tables, glossary = reports["synthetic"]
    result = run("除智慧景区外，其他领域2023年投资额合计", tables, glossary)
    total = result.figures[-1]
    assert total.interval == pytest.approx((30.0, 31.0))
    assert "不足31亿元" in table_answer(result, "zh", glossary)


def test_a_cross_table_share_needs_the_same_unit(reports) -> None:
    tables, glossary = reports["bundled"]
    # 用户规模 (万人) and 交易额 (亿元): no share across tables of different units
    query = parse_table_query("2022年网约车用户规模占共享经济交易额的比重", tables, glossary)
    assert query is None or query.op != "cross"


@pytest.mark.parametrize(("question", "figure"), [
    pytest.param("表1里2021年规范渠道回收量是多少万吨？", "11.8万吨", id="row-plus-measure-suffix"),
    pytest.param("生活服务在2022年共享经济里占了几成？", "48.4%", id="share-of-the-whole-named-as-a-row"),
    pytest.param("living svcs % of total txn vol 2022", "48.4%", id="percent-of-total-abbreviated"),
])
def test_table_questions_in_everyday_wording(engine, question: str, figure: str) -> None:
    from reportqa import library

    answer = library.ask(question, engine)
    assert answer.answerable and figure in answer.answer, answer.answer
    assert any(c.table for c in answer.citations)
