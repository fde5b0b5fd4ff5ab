"""The chat page in real headless Chromium against a live server: answers with citations and badges in both
languages, "the report does not say", checking a pasted text, feedback, phone width and keyboard-only use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import (
    SCREENSHOTS,
    LiveServer,
    chromium,
    require_chromium,
    run_live_server,
    screenshot,
)

from reportqa.library import Engine
from reportqa.store.db import database_for
from reportqa.store.feedback import list_feedback

pytestmark = pytest.mark.browser

ZH_COMPUTED = "2022年共享住宿交易额比2021年减少了多少？"
EN_FINANCING = "How much direct financing did the sharing economy raise in 2022?"
NOT_IN_REPORT = "2030年共享住宿规模预测是多少？"
ARTICLE = ("2022年共享经济市场交易规模约为38320亿元，同比增长约3.9%。共享住宿交易额为125亿元。\n"
           "In 2022 shared accommodation transactions fell 24.3% to CNY 12.5 billion.")


@pytest.fixture(scope="module")
def live(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    yield from run_live_server(engine, tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="module")
def driver(live: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    d = chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield d
    d.quit()


@pytest.fixture
def page(driver: Any, live: LiveServer) -> Any:
    """The chat page, freshly loaded, at desktop size."""
    driver.set_window_size(1280, 900)
    driver.get(live.url + "/")
    wait(driver).until(lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"))
    return driver


def wait(driver: Any, seconds: float = 60) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds)


def css(driver: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def ask(driver: Any, question: str) -> Any:
    """Type a question, press Enter, wait for the answer's final rendering; return its bubble."""
    from selenium.webdriver.common.keys import Keys

    before = len(css(driver, "#log .msg.bot"))
    box = css(driver, "#question")[0]
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    done = "#log .msg.bot[aria-busy='false'] .bubble"
    wait(driver).until(lambda d: len(css(d, done)) > before or not css(d, "#error")[0].get_attribute("hidden"))
    assert css(driver, "#error")[0].get_attribute("hidden") is not None, css(driver, "#error")[0].text
    return css(driver, done)[-1]


def test_page_loads_with_the_contents_and_the_tables(page: Any) -> None:
    wait(page).until(lambda d: css(d, "#contents li") and css(d, "#tables summary"))
    contents = css(page, "#contents")[0].text
    assert "一、共享经济市场规模持续扩大" in contents and "p." in contents
    tables = [s.text for s in css(page, "#tables summary")]
    assert all(t.startswith("表") for t in tables) and len(tables) >= 8  # both reports' tables
    summary = next(s for s in css(page, "#tables summary") if "共享经济发展概况" in s.text)
    summary.click()
    wait(page).until(lambda d: css(d, "#tables details[open] table"))
    assert "共享住宿" in css(page, "#tables details[open] table")[0].text


def test_chinese_question_shows_the_figure_its_citation_badges_and_the_cited_row(page: Any) -> None:
    page.execute_script("""
        window.sawProgress = false;
        new MutationObserver(() => { if (!document.getElementById('progress').hidden) window.sawProgress = true; })
          .observe(document.getElementById('progress'), {attributes: true});""")
    bubble = ask(page, ZH_COMPUTED)
    assert "37亿元" in bubble.find_element("css selector", ".answer-text").text
    statuses = [b.get_attribute("class") for b in bubble.find_elements("css selector", ".badges .badge")]
    assert any("st-verified" in s for s in statuses) and any("st-derived" in s for s in statuses)
    derived = bubble.find_element("css selector", ".badge.st-derived").text
    assert "115 − 表1 共享住宿 2021年 152" in derived  # the formula is shown
    where = bubble.find_element("css selector", ".citation .where").text
    assert "表1 / 共享住宿" in where and "p.2" in where
    wait(page).until(lambda d: bubble.find_elements("css selector", ".row-slot table"))
    rows = bubble.find_elements("css selector", ".row-slot table")
    assert len(rows) == 1  # one row cited through three cells is drawn once
    assert "共享住宿" in rows[0].text
    assert [c.text for c in rows[0].find_elements("css selector", "td.cited")] == ["152", "115", "-24.3%"]
    assert page.execute_script("return window.sawProgress") is True
    assert not css(page, "#progress")[0].is_displayed()
    screenshot(page, "page-answer-zh")


def test_english_question_gets_citations_badges_and_a_quote_in_context(page: Any) -> None:
    bubble = ask(page, EN_FINANCING)
    assert "CNY 13.2 billion" in bubble.find_element("css selector", ".answer-text").text
    assert bubble.find_elements("css selector", ".badges .badge.st-verified")
    assert bubble.find_elements("css selector", "mark.fact[data-status='verified']")
    quote = next(d for d in bubble.find_elements("css selector", ".citation details.quote") if "直接融资规模约为" in d.text)
    quote.find_element("css selector", "summary").click()
    wait(page).until(lambda d: quote.find_elements("css selector", ".context mark.quote-hl"))
    context = quote.find_element("css selector", ".context").text
    assert "直接融资规模约为" in context and len(context) > len(quote.find_element("css selector", "summary").text) + 20
    screenshot(page, "page-answer-en")


def test_follow_up_inherits_the_subject_of_the_conversation(page: Any) -> None:
    ask(page, "2022年共享住宿规模")
    follow = ask(page, "那2021年呢？")
    assert "152亿元" in follow.text
    assert "unanswerable" not in follow.get_attribute("class")


def test_the_report_does_not_say_looks_different_and_shows_the_nearest_passages(page: Any) -> None:
    answered = ask(page, "2022年共享住宿规模")
    refused = ask(page, NOT_IN_REPORT)
    assert "unanswerable" in refused.get_attribute("class") and "unanswerable" not in answered.get_attribute("class")
    assert "报告未提及" in refused.find_element("css selector", ".nosay").text
    assert "Nearest passages" in refused.find_element("css selector", ".cites-title").text
    assert refused.find_elements("css selector", ".citation")
    style = page.execute_script(
        "const s = getComputedStyle(arguments[0]), t = getComputedStyle(arguments[1]);"
        "return [s.borderTopStyle, s.backgroundColor, t.borderTopStyle, t.backgroundColor];", refused, answered)
    assert style[0] == "dashed" and style[2] == "solid" and style[1] != style[3]
    page.execute_script("arguments[0].closest('li').previousElementSibling.scrollIntoView()", refused)
    screenshot(page, "page-does-not-say")


def test_a_pasted_text_gets_every_figure_marked_with_its_verdict(page: Any) -> None:
    css(page, "#tab-check")[0].click()
    css(page, "#check-text")[0].send_keys(ARTICLE)
    css(page, "#check-send")[0].click()
    wait(page).until(lambda d: css(d, "#check-result mark.fact"))
    marks = {m.text.split("\n")[0]: m.get_attribute("data-status") for m in css(page, "#check-result mark.fact")}
    assert marks == {"38320亿元": "verified", "3.9%": "verified", "125亿元": "contradicted",
                     "24.3%": "verified", "CNY 12.5 billion": "contradicted"}
    counts = {c.get_attribute("data-status"): c.text.split()[0] for c in css(page, "#check-result .counts li")}
    assert counts == {"verified": "3", "derived": "0", "unsupported": "0", "contradicted": "2"}
    wrong = next(m for m in css(page, "#check-result mark.fact") if m.get_attribute("data-status") == "contradicted")
    tip = wrong.find_element("css selector", ".tip")
    assert not tip.is_displayed()
    page.execute_script("arguments[0].focus()", wrong)
    assert tip.is_displayed() and "表1 says 115亿元" in tip.text and "共享住宿 152 115 -24.3%" in tip.text
    screenshot(page, "page-check-text")


def test_feedback_with_comment_and_correction_is_stored(page: Any, live: LiveServer) -> None:
    bubble = ask(page, "2022年共享住宿规模")
    item = bubble.find_element("xpath", "..")
    assert not item.find_element("css selector", ".fb-form").is_displayed()  # opens once a rating is chosen
    item.find_element("css selector", ".fb-down").click()
    item.find_element("css selector", ".fb-form textarea").send_keys("想看2021年")
    item.find_elements("css selector", ".fb-form textarea")[1].send_keys("2021年为152亿元")
    item.find_element("css selector", ".fb-send").click()
    wait(page).until(lambda d: "saved" in item.find_element("css selector", ".fb-status").text)
    last = list_feedback(database_for(live.settings))[-1]
    assert (last.question, last.rating, last.comment, last.corrected_answer) == \
        ("2022年共享住宿规模", "down", "想看2021年", "2021年为152亿元")
    assert last.citations[0]["id"] == "china-sharing-economy-report-2023:表1/共享住宿/2022年"
    assert str(last.id) in item.find_element("css selector", ".fb-status").text


def test_an_api_error_is_shown_with_its_detail(page: Any) -> None:
    css(page, "#tab-check")[0].click()
    css(page, "#check-text")[0].send_keys("   ")
    css(page, "#check-send")[0].click()
    wait(page).until(lambda d: css(d, "#error")[0].get_attribute("hidden") is None)
    assert css(page, "#error")[0].text.startswith("Error: 422: text is empty — send JSON such as")


def test_everything_works_from_the_keyboard_alone(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    def tab_to(predicate: str, limit: int = 40) -> None:
        for _ in range(limit):
            ActionChains(page).send_keys(Keys.TAB).perform()
            if page.execute_script(f"const a = document.activeElement; return {predicate};"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    tab_to("a.id === 'question'")
    ActionChains(page).send_keys("2022年共享住宿规模", Keys.ENTER).perform()
    wait(page).until(lambda d: css(d, "#log .msg.bot[aria-busy='false'] .badges"))
    tab_to("a.matches('mark.fact')")
    assert page.execute_script("return document.activeElement.querySelector('.tip').offsetParent !== null")
    page.execute_script("window.scrollTo(0, 0)")
    tab_to("a.id === 'tab-ask'", limit=80)
    ActionChains(page).send_keys(Keys.ARROW_RIGHT).perform()
    assert css(page, "#check-panel")[0].is_displayed() and not css(page, "#ask-panel")[0].is_displayed()
    tab_to("a.id === 'check-text'")
    ActionChains(page).send_keys("共享住宿交易额为125亿元。").perform()
    tab_to("a.id === 'check-send'")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait(page).until(lambda d: css(d, "#check-result mark.fact[data-status='contradicted']"))


def test_the_page_fits_a_phone_screen(page: Any) -> None:
    page.set_window_size(390, 844)
    width = page.execute_script("return window.innerWidth")
    assert not css(page, "#side")[0].is_displayed()
    css(page, "#side-toggle")[0].click()
    assert css(page, "#side")[0].is_displayed() and css(page, "#side-toggle")[0].get_attribute("aria-expanded") == "true"
    css(page, "#side-toggle")[0].click()
    bubble = ask(page, ZH_COMPUTED)
    assert bubble.rect["x"] >= 0 and bubble.rect["x"] + bubble.rect["width"] <= width
    assert page.execute_script("return document.documentElement.scrollWidth") <= width
    screenshot(page, "page-phone")


def test_the_page_runs_without_console_errors_or_content_security_policy_violations(page: Any) -> None:
    page.get_log("browser")  # drop what earlier pages logged
    page.refresh()
    wait(page).until(lambda d: css(d, "#tables summary"))
    ask(page, EN_FINANCING)
    severe = [e["message"] for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_landmarks_and_controls_are_labelled(page: Any) -> None:
    assert css(page, "#log")[0].get_attribute("role") == "log"
    assert css(page, "#progress")[0].get_attribute("role") == "status"
    assert css(page, "#error")[0].get_attribute("role") == "alert"
    assert css(page, "#side")[0].get_attribute("aria-label") == "Contents and tables"
    for control in css(page, "textarea, input"):
        ident = control.get_attribute("id")
        assert css(page, f"label[for='{ident}']"), f"#{ident} has no label"
    assert all(t.get_attribute("aria-controls") for t in css(page, "[role='tab']"))


def test_screenshots_are_where_the_readme_shows_them() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name in ("page-answer-zh", "page-check-text", "page-does-not-say", "widget-zh"):
        assert f"docs/screenshots/{name}.png" in readme
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
