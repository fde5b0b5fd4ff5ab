"""Printed figures, rounding intervals, interval arithmetic and unit scaling (reportqa.numeric)."""

from __future__ import annotations

import math

import pytest

from reportqa.numeric import (
    UnitError,
    agrees,
    classify,
    growth_interval,
    interval_add,
    interval_div,
    interval_mul,
    interval_sub,
    interval_sum,
    parse_number,
    parse_quantity,
    parse_unit,
    round_half_up,
    rounding_interval,
    share_interval,
    to_unit,
)


@pytest.mark.parametrize(
    ("text", "value", "decimals", "bound", "percent"),
    [
        pytest.param("-14.2%", -14.2, 1, None, True, id="negative-percent"),
        pytest.param("455.5%", 455.5, 1, None, True, id="percent-over-100"),
        pytest.param("＜1", 1.0, 0, "<", False, id="fullwidth-less-than"),
        pytest.param("<1", 1.0, 0, "<", False, id="ascii-less-than"),
        pytest.param("≤5", 5.0, 0, "<=", False, id="less-or-equal"),
        pytest.param("＞90%", 90.0, 0, ">", True, id="fullwidth-greater-percent"),
        pytest.param("2,891.3", 2891.3, 1, None, False, id="thousands-comma-decimal"),
        pytest.param("12,000", 12000.0, 0, None, False, id="thousands-comma"),
        pytest.param("１２，０００", 12000.0, 0, None, False, id="fullwidth-digits-and-comma"),
        pytest.param("３．９％", 3.9, 1, None, True, id="fullwidth-percent"),
        pytest.param("−3.5", -3.5, 1, None, False, id="unicode-minus"),
        pytest.param("－37.7%", -37.7, 1, None, True, id="fullwidth-minus"),
        pytest.param("+5.9%", 5.9, 1, None, True, id="explicit-plus"),
        pytest.param("183.0", 183.0, 1, None, False, id="trailing-zero-keeps-precision"),
        pytest.param(" 2344 ", 2344.0, 0, None, False, id="surrounding-space"),
        pytest.param("0.05", 0.05, 2, None, False, id="two-decimals"),
    ],
)
def test_parse_number_reads_printed_figures(text: str, value: float, decimals: int, bound: str | None, percent: bool) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)
    assert (parsed.decimals, parsed.bound, parsed.percent, parsed.raw) == (decimals, bound, percent, text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("-", id="dash-placeholder"),
        pytest.param("—", id="em-dash-placeholder"),
        pytest.param("2022年", id="year-with-suffix"),
        pytest.param("115亿元", id="number-with-unit"),
        pytest.param("1,23", id="bad-grouping"),
        pytest.param("1.", id="dangling-point"),
        pytest.param("abc", id="word"),
        pytest.param("%", id="bare-percent"),
    ],
)
def test_parse_number_rejects_non_figures(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("value", "decimals", "bound", "expected"),
    [
        pytest.param(6, 0, None, (5.5, 6.5), id="integer"),
        pytest.param(-14.2, 1, None, (-14.25, -14.15), id="negative-one-decimal"),
        pytest.param(38.54, 2, None, (38.535, 38.545), id="two-decimals"),
        pytest.param(1, 0, "<", (0.0, 1.0), id="less-than-one-starts-at-zero"),
        pytest.param(5, 0, ">", (5.0, math.inf), id="greater-than-unbounded"),
    ],
)
def test_rounding_interval_covers_what_rounds_to_the_figure(value: float, decimals: int, bound: str | None, expected: tuple[float, float]) -> None:
    lo, hi = rounding_interval(value, decimals, bound)  # type: ignore[arg-type]
    assert lo == pytest.approx(expected[0])
    assert hi == pytest.approx(expected[1])


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(2.675, 2, 2.68, id="half-up-despite-float-noise"),
        pytest.param(-14.25, 1, -14.3, id="half-away-from-zero-negative"),
        pytest.param(-95.2577, 1, -95.3, id="ordinary"),
        pytest.param(450.0, 1, 450.0, id="already-round"),
    ],
)
def test_round_half_up_rounds_like_a_report(value: float, decimals: int, expected: float) -> None:
    assert round_half_up(value, decimals) == pytest.approx(expected)


def test_interval_arithmetic_takes_the_extremes() -> None:
    assert interval_add((1, 2), (10, 20)) == (11, 22)
    assert interval_sub((10, 20), (1, 2)) == (8, 19)
    assert interval_mul((-1, 2), (3, 4)) == (-4, 8)
    assert interval_div((1, 2), (4, 8)) == (0.125, 0.5)
    assert interval_sum([(22.5, 23.5), (0, 1), (1.5, 2.5)]) == (24.0, 27.0)
    assert interval_sum([]) == (0.0, 0.0)


def test_division_by_an_interval_holding_zero_rules_nothing_out() -> None:
    assert interval_div((1, 2), (-0.5, 0.5)) == (-math.inf, math.inf)


def test_growth_interval_from_rounded_levels() -> None:
    lo, hi = growth_interval((5.5, 6.5), (32.5, 33.5))  # printed 6 → 33
    assert lo == pytest.approx(400.0)
    assert hi == pytest.approx(509.0909, abs=1e-3)


def test_share_interval_from_rounded_part_and_whole() -> None:
    lo, hi = share_interval((10.75, 10.85), (215.15, 215.25))  # 10.8 of 215.2
    assert lo == pytest.approx(4.9942, abs=1e-3)
    assert hi == pytest.approx(5.0430, abs=1e-3)


@pytest.mark.parametrize(
    ("printed", "decimals", "interval", "bound", "expected"),
    [
        pytest.param(455.5, 1, (400.0, 509.1), None, True, id="inside"),
        pytest.param(-98.0, 1, (-100.0, -99.605), None, False, id="outside"),
        pytest.param(5.0, 1, (5.05, 5.2), None, True, id="touching-the-rounding-edge"),
        pytest.param(1, 0, (0.2, 0.4), "<", True, id="bound-target"),
    ],
)
def test_agrees_when_some_value_in_the_interval_prints_as_the_figure(
    printed: float, decimals: int, interval: tuple[float, float], bound: str | None, expected: bool
) -> None:
    assert agrees(printed, decimals, interval, bound) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("printed", "decimals", "point", "interval", "point_is_exact", "expected"),
    [
        pytest.param(-14.2, 1, -14.163, (-14.20, -14.12), True, "exact", id="point-rounds-to-printed"),
        pytest.param(455.5, 1, 450.0, (400.0, 509.09), True, "within_rounding", id="only-rounding-explains"),
        pytest.param(-98.0, 1, -99.605, (-100.0, -99.605), True, "mismatch", id="nothing-explains"),
        pytest.param(132, 0, 132.0, (128.5, 135.5), False, "within_rounding", id="bounded-input-never-exact"),
        pytest.param(8.4, 1, None, (-math.inf, math.inf), True, "within_rounding", id="no-point-value"),
    ],
)
def test_classify_printed_figure_against_computation(
    printed: float, decimals: int, point: float | None, interval: tuple[float, float], point_is_exact: bool, expected: str
) -> None:
    assert classify(printed, decimals, point, interval, point_is_exact=point_is_exact) == expected


@pytest.mark.parametrize(
    ("value", "from_unit", "target", "expected"),
    [
        pytest.param(11.5, "CNY billion", "亿元", 115.0, id="cny-billion-to-yi-yuan"),
        pytest.param(11.5, "billion yuan", "亿元", 115.0, id="billion-yuan"),
        pytest.param(11.5, "billion", "亿元", 115.0, id="bare-magnitude-takes-target-kind"),
        pytest.param(3.832, "万亿元", "亿元", 38320.0, id="wan-yi-to-yi"),
        pytest.param(115, "亿元", "万元", 1_150_000.0, id="yi-to-wan"),
        pytest.param(2344, "亿元", "元", 2.344e11, id="yi-to-yuan"),
        pytest.param(6970, "万人", "亿人", 0.697, id="wan-ren-to-yi-ren"),
        pytest.param(3, "亿人", "million people", 300.0, id="yi-ren-to-million-people"),
        pytest.param(1.2, "thousand", "万", 0.12, id="thousand-to-wan"),
        pytest.param(2, "100 million yuan", "亿元", 2.0, id="hundred-million-yuan"),
        pytest.param(28.5, "亿美元", "USD billion", 2.85, id="us-dollars"),
        pytest.param(3.9, "%", "%", 3.9, id="percent-identity"),
    ],
)
def test_to_unit_rescales_within_a_kind(value: float, from_unit: str, target: str, expected: float) -> None:
    assert to_unit(value, from_unit, target) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("from_unit", "target", "message"),
    [
        pytest.param("亿元", "万人", "measure different things", id="money-vs-people"),
        pytest.param("亿元", "亿美元", "measure different things", id="yuan-vs-dollars"),
        pytest.param("%", "个百分点", "measure different things", id="percent-vs-points"),
        pytest.param("亿元", "furlongs", "unknown unit", id="unknown-unit"),
    ],
)
def test_to_unit_refuses_incompatible_units_with_a_clear_error(from_unit: str, target: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        to_unit(1.0, from_unit, target)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        pytest.param("亿元", ("元", 1e8), id="yi-yuan"),
        pytest.param("万亿元", ("元", 1e12), id="wan-yi-yuan"),
        pytest.param("RMB", ("元", 1.0), id="rmb"),
        pytest.param("亿", (None, 1e8), id="bare-yi"),
        pytest.param("万人次", ("人次", 1e4), id="counting-unit"),
    ],
)
def test_parse_unit_splits_base_and_factor(unit: str, expected: tuple[str | None, float]) -> None:
    assert parse_unit(unit) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        pytest.param("115亿元", 115.0, "亿元", id="chinese"),
        pytest.param("CNY 11.5 billion", 11.5, "CNY billion", id="english-currency-first"),
        pytest.param("3.9%", 3.9, "%", id="percent"),
        pytest.param("6970万人", 6970.0, "万人", id="people"),
    ],
)
def test_parse_quantity_splits_number_and_unit(text: str, value: float, unit: str) -> None:
    parsed = parse_quantity(text)
    assert parsed is not None
    assert parsed[0].value == pytest.approx(value)
    assert parsed[1] == unit
    assert to_unit(parsed[0].value, parsed[1], "亿元") == pytest.approx(115.0) if "billion" in text else True


def test_parse_quantity_rejects_text_without_a_number() -> None:
    assert parse_quantity("同比增长") is None
