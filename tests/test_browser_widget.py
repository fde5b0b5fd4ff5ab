"""The embeddable widget in real headless Chromium, on host pages served from *other* origins: it answers with
its key where the origin is allowed, shows a readable refusal where it is not, and no CSS crosses its Shadow DOM."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from browser_harness import HostPages, LiveServer, chromium, require_chromium, run_live_server, screenshot
from reportqa.library import Engine

pytestmark = pytest.mark.browser

# A host page that styles everything it can reach, as hard as it can.
AGGRESSIVE_CSS = """
* { font-family: "Comic Sans MS", cursive !important; font-size: 31px !important; color: #f0f !important;
    background: #ff0 !important; border: 5px dashed #0f0 !important; padding: 17px !important; margin: 9px !important;
    line-height: 3 !important; letter-spacing: 4px !important; text-transform: uppercase !important;
    box-sizing: content-box !important; }
button, textarea, section, header, form, ol, li, h2, p { display: inline !important; width: 10px !important; }
reportqa-widget { position: static !important; display: none !important; }
"""
HOST_BODY = """<h2>Portal news</h2><p class="lead">Quarterly figures.</p><button>Host button</button>
<form><textarea>host text</textarea></form><ol><li>one</li></ol><header>host header</header><section>host section</section>"""
STYLE_PROPS = ["font-family", "font-size", "color", "background-color", "border-top-width", "border-top-style",
               "padding-top", "margin-top", "line-height", "letter-spacing", "text-transform", "display", "width", "height"]


def host_page(live: LiveServer, *, css: str = "", widget: bool = True, lang: str = "zh", key: str = "test-key") -> str:
    tag = f'<script src="{live.url}/widget.js" data-key="{key}" data-lang="{lang}"></script>' if widget else ""
    return f"<!doctype html><html><head><meta charset='utf-8'><title>Portal</title><style>{css}</style></head>" \
           f"<body>{HOST_BODY}{tag}</body></html>"


@pytest.fixture(scope="module")
def live(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    require_chromium()
    yield from run_live_server(engine, tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="module")
def driver(live: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    d = chromium(tmp_path_factory.mktemp("chromium-profile"), 1100, 800)
    yield d
    d.quit()


def wait(driver: Any, seconds: float = 60) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds)


def open_widget(driver: Any, url: str) -> Any:
    """Load a host page and open the widget; return its shadow root."""
    driver.get(url)
    wait(driver).until(lambda d: d.execute_script("return !!document.querySelector('reportqa-widget')"))
    root = driver.find_element("css selector", "reportqa-widget").shadow_root
    root.find_element("css selector", ".launcher").click()
    return root


def widget_ask(driver: Any, root: Any, question: str) -> None:
    from selenium.webdriver.common.keys import Keys

    done = ".bot[aria-busy='false']"
    before = len(root.find_elements("css selector", done))
    box = root.find_element("css selector", "textarea")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    wait(driver).until(lambda d: len(root.find_elements("css selector", done)) > before
                       or root.find_element("css selector", ".error").is_displayed())


def test_widget_answers_on_a_page_from_another_allowed_origin_sending_its_key(driver: Any, live: LiveServer) -> None:
    url = live.allowed_host.page("portal.html", host_page(live))
    assert not url.startswith(live.url)  # another origin (another port)
    root = open_widget(driver, url)
    assert root.find_element("css selector", ".launcher").text == "问报告"
    widget_ask(driver, root, "2022年共享住宿交易额比2021年减少了多少？")
    assert not root.find_element("css selector", ".error").is_displayed()
    bot = root.find_element("css selector", ".bot")
    assert "37亿元" in bot.find_element("css selector", ".text").text
    statuses = {b.get_attribute("data-status") for b in bot.find_elements("css selector", ".badge")}
    assert statuses == {"verified", "derived"}
    assert "表1 / 共享住宿" in bot.find_element("css selector", ".cites summary").text
    assert live.seen_keys[-1] == "Bearer test-key"
    screenshot(driver, "widget-zh")


def test_widget_keeps_the_conversation_and_shows_the_report_does_not_say(driver: Any, live: LiveServer) -> None:
    root = open_widget(driver, live.allowed_host.page("portal-en.html", host_page(live, lang="en")))
    assert root.find_element("css selector", ".launcher").text == "Ask the report"
    widget_ask(driver, root, "2022年共享住宿规模")
    widget_ask(driver, root, "2030年共享住宿规模预测是多少？")
    bots = root.find_elements("css selector", ".bot")
    assert len(bots) == 2 and "unanswerable" in bots[1].get_attribute("class")
    assert "The report does not say" in bots[1].text and "Nearest passages" in bots[1].text


def test_widget_is_refused_on_a_page_from_a_non_allowed_origin(driver: Any, live: LiveServer) -> None:
    calls = len(live.seen_keys)
    root = open_widget(driver, live.other_host.page("elsewhere.html", host_page(live)))
    widget_ask(driver, root, "2022年共享住宿规模")
    error = root.find_element("css selector", ".error")
    assert error.is_displayed() and error.get_attribute("role") == "alert"
    assert live.other_host.origin in error.text and "REPORTQA_API__CORS_ORIGINS" in error.text
    assert not root.find_elements("css selector", ".bot")
    assert len(live.seen_keys) == calls  # the browser never sent the question
    preflight = httpx.options(f"{live.url}/v1/chat/completions", headers={
        "Origin": live.other_host.origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type"})
    assert preflight.status_code == 403
    assert preflight.json()["detail"].startswith(f"origin {live.other_host.origin} may not call this service")
    screenshot(driver, "widget-refused")


def computed(driver: Any, elements: list[Any]) -> list[dict[str, str]]:
    return driver.execute_script(
        "return arguments[0].map(e => { const s = getComputedStyle(e); return Object.fromEntries(arguments[1].map(p => [p, s.getPropertyValue(p)])); });",
        elements, STYLE_PROPS)


def widget_styles(driver: Any, live: LiveServer, host: HostPages, name: str, css: str) -> tuple[list[dict[str, str]], dict]:
    root = open_widget(driver, host.page(name, host_page(live, css=css)))
    parts = [root.find_element("css selector", s) for s in (".launcher", ".panel", "header", "h2", "textarea", ".send", ".log")]
    rect = driver.execute_script("const r = document.querySelector('reportqa-widget').getBoundingClientRect();"
                                 "const v = document.documentElement; return {right: v.clientWidth - r.right, bottom: v.clientHeight - r.bottom, w: r.width, h: r.height};")
    return computed(driver, parts), rect


def test_a_host_pages_aggressive_css_does_not_change_the_widget(driver: Any, live: LiveServer) -> None:
    plain = widget_styles(driver, live, live.allowed_host, "plain.html", "")
    hostile = widget_styles(driver, live, live.allowed_host, "hostile.html", AGGRESSIVE_CSS)
    screenshot(driver, "widget-on-hostile-page")
    assert hostile == plain


def test_the_widgets_css_does_not_change_the_host_page(driver: Any, live: LiveServer) -> None:
    def host_styles(name: str, widget: bool) -> list[dict[str, str]]:
        driver.get(live.allowed_host.page(name, host_page(live, widget=widget)))
        if widget:
            wait(driver).until(lambda d: d.execute_script("return !!document.querySelector('reportqa-widget')"))
            driver.find_element("css selector", "reportqa-widget").shadow_root.find_element("css selector", ".launcher").click()
        tags = "body, h2, p, button, form, textarea, ol, li, header, section"
        return computed(driver, driver.find_elements("css selector", tags))

    assert host_styles("with-widget.html", True) == host_styles("without-widget.html", False)


def test_the_page_may_be_framed_by_an_allowed_origin_only(driver: Any, live: LiveServer) -> None:
    frame = f'<!doctype html><iframe id="f" src="{live.url}/" width="900" height="600"></iframe>'

    def framed_page_loads(host: HostPages, name: str) -> bool:
        driver.get(host.page(name, frame))
        driver.switch_to.frame(driver.find_element("id", "f"))
        try:
            wait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
            return bool(driver.find_elements("id", "question"))
        finally:
            driver.switch_to.default_content()

    assert framed_page_loads(live.allowed_host, "frame-ok.html")
    assert not framed_page_loads(live.other_host, "frame-refused.html")
