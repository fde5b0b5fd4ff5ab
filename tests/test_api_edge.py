"""The API's edge in-process: offline docs, invalid Unicode (400, never a 500), whole-number floats, the
documented limits, and the answer cache behind /v1/ask."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.schemas import NOT_BLANK
from reportqa import library
from reportqa.errors import BadQuestion
from reportqa.library import Engine

ASK_HINT = 'send JSON such as {"question": "2022年共享住宿的交易额是多少？", "top_k": 5}'
CHECK_HINT = 'send JSON such as {"text": "2022年共享住宿交易额为115亿元，同比下降24.3%。"}'
SURROGATE = "(a lone surrogate such as \\ud800: send UTF-8 text, a character outside the BMP as one surrogate pair)"


@pytest.fixture(scope="module")
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine.settings, engine)) as c:
        yield c


# --------------------------------------------------------------------------- offline docs


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_pages_load_every_asset_from_the_service_itself(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", r.text) + re.findall(r"""url:\s*["']([^"']+)["']""", r.text)
    assets = [u for u in urls if not u.startswith("#")]
    assert assets, "the page loads no script or style at all"
    assert not re.search(r"https?://|//cdn", r.text), "the page references another host"
    for url in assets:
        assert url.startswith("/"), url
        got = client.get(url)
        assert got.status_code == 200 and got.content, url
    assert any(u.endswith(".js") for u in assets)


# --------------------------------------------------------------------------- invalid Unicode


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        pytest.param("/v1/ask", b'{"question": "\\ud800"}', f"question is not valid Unicode {SURROGATE} — {ASK_HINT}", id="question"),
        pytest.param("/v1/ask", b'{"question": "2022\\udc00\\u5e74"}', f"question is not valid Unicode {SURROGATE} — {ASK_HINT}", id="low-surrogate-inside"),
        pytest.param("/v1/check", b'{"text": "115\\ud83d"}', f"text is not valid Unicode {SURROGATE} — {CHECK_HINT}", id="text"),
        pytest.param("/v1/ask", b'{"\\ud800": "x"}', f"a field name in body is not valid Unicode {SURROGATE} — {ASK_HINT}", id="field-name"),
        pytest.param("/v1/ask", b'[{"question": ["\\udfff"]}]', f"body[0].question[0] is not valid Unicode {SURROGATE} — {ASK_HINT}", id="nested"),
    ],
)
def test_a_lone_surrogate_anywhere_in_the_json_is_a_400_saying_what_to_send(client: TestClient, path: str, body: bytes, detail: str) -> None:
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    assert (r.status_code, r.json()) == (400, {"detail": detail})


def test_a_surrogate_pair_is_valid_unicode_and_answered(client: TestClient) -> None:
    r = client.post("/v1/ask", content=b'{"question": "2022\\u5e74\\u5171\\u4eab\\u4f4f\\u5bbf\\u89c4\\u6a21 \\ud83d\\ude00"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 200 and "115" in r.json()["answer"]


def test_a_query_that_is_not_utf8_is_decoded_with_replacement_not_a_500(client: TestClient) -> None:
    r = client.get("/v1/search?q=%ED%A0%80&k=1")  # the UTF-8-style bytes of a surrogate
    assert r.status_code == 200


def test_the_library_refuses_invalid_unicode_with_the_fix(engine: Engine) -> None:
    with pytest.raises(BadQuestion, match="not valid Unicode"):
        library.ask("\ud800", engine)
    with pytest.raises(BadQuestion, match="not valid Unicode"):
        library.check("115\udcff", engine)


# --------------------------------------------------------------------------- schema and behaviour agree


def test_top_k_written_as_a_whole_float_is_that_number(client: TestClient, engine: Engine) -> None:
    r = client.post("/v1/ask", json={"question": "共享经济发展面临哪些挑战？", "top_k": 2.0})
    assert r.status_code == 200
    assert len(r.json()["citations"]) <= 2


def test_a_question_that_is_mostly_unknown_characters_is_refused_before_any_work(client: TestClient) -> None:
    noise = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(200))
    r = client.post("/v1/ask", json={"question": noise})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("question has ") and "form no known words" in r.json()["detail"]


def test_openapi_documents_the_limits_and_the_400(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/check"):
        assert {"400", "408", "413", "422", "503"} <= set(paths[path]["post"]["responses"]), path
    assert "Retry-After" in paths["/v1/search"]["get"]["responses"]["503"]["headers"]
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    question = schemas["AskRequest"]["properties"]["question"]
    assert (question["minLength"], question["maxLength"], question["pattern"]) == (1, 1000, NOT_BLANK)


# --------------------------------------------------------------------------- repeated questions


def test_a_repeated_question_is_answered_from_the_cache_with_the_same_answer(engine: Engine) -> None:
    fresh = library.Engine(settings=engine.settings, index=engine.index)
    first = library.ask("2022年共享住宿规模", fresh, top_k=3)
    again = library.ask("  2022年共享住宿规模 ", fresh, top_k=3)  # same once normalised
    assert "answer_cache" not in first.timing_ms and "answer_cache" in again.timing_ms
    assert again.model_dump(exclude={"timing_ms"}) == first.model_dump(exclude={"timing_ms"})
    assert len(fresh.answers) == 1
    library.ask("2022年共享住宿规模", fresh, top_k=4)  # another top_k is another answer
    assert len(fresh.answers) == 2


def test_full_width_forms_are_the_same_question(engine: Engine) -> None:
    fresh = library.Engine(settings=engine.settings, index=engine.index)
    library.ask("２０２２年共享住宿规模", fresh)
    assert "answer_cache" in library.ask("2022年共享住宿规模", fresh).timing_ms


def test_a_text_of_control_characters_is_rejected_by_the_schema_itself() -> None:
    # Python strips \x1c-\x1f as whitespace; the schema's pattern says so too, so the 422 is the documented one
    assert re.search(NOT_BLANK, "\x1f\x1f") is None and re.search(NOT_BLANK, "\u3000") is None
    assert re.search(NOT_BLANK, " 2022年 ") is not None
