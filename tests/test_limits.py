"""Bounded requests over a real uvicorn server: body size (413 while reading, never buffered), body and
header read timeouts (408), saturation (503 with Retry-After), graceful shutdown of in-flight answers."""

from __future__ import annotations

import json
import resource
import select
import socket
import time

import httpx
import pytest

from api.limits import saturated_detail, too_large_detail, too_slow_detail
from api.protocol import MAX_HEADER_BYTES
from reportqa.library import Engine
from tests.servers import connect, read_response, server_in_thread

LIMIT = 64 * 1024
HUGE = 300 * 1024 * 1024
QUESTION = json.dumps({"question": "2022年共享住宿规模"}, ensure_ascii=False).encode()


def post_head(length: int | None = None, path: str = "/v1/ask") -> bytes:
    """Request line and headers of a JSON POST: Content-Length when given, else chunked."""
    framing = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n{framing}\r\n\r\n".encode()


def detail(body: bytes) -> str:
    return json.loads(body)["detail"]


def test_a_declared_body_over_the_limit_is_413_before_any_of_it_is_read(engine: Engine) -> None:
    with server_in_thread(engine, max_body_bytes=LIMIT) as server, connect(server.address) as sock:
        sock.sendall(post_head(HUGE))  # the headers only: 300 MB are announced, none is sent
        status, headers, body, closed = read_response(sock)
    assert (status, detail(body)) == (413, too_large_detail(LIMIT))
    assert headers["connection"] == "close" and closed


def test_a_chunked_body_is_cut_off_as_it_passes_the_limit_and_never_buffered(engine: Engine) -> None:
    chunk = b"x" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with server_in_thread(engine, max_body_bytes=LIMIT) as server, connect(server.address, timeout=5) as sock:
        sock.sendall(post_head(None))
        sent = 0
        try:
            while sent < HUGE and not select.select([sock], [], [], 0)[0]:
                sock.sendall(frame)  # blocks, then times out, once the server stops reading
                sent += len(chunk)
        except (TimeoutError, ConnectionResetError, BrokenPipeError):
            pass
        status, headers, body, closed = read_response(sock)
    assert (status, detail(body)) == (413, too_large_detail(LIMIT))
    assert headers["connection"] == "close" and closed
    assert sent < 32 * 1024 * 1024, f"the server kept reading: {sent} bytes of 300 MB went in"
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 64 * 1024, f"peak RSS grew by {grown_kb} KB: the body was buffered"


def test_a_body_under_the_limit_is_answered(engine: Engine) -> None:
    with server_in_thread(engine, max_body_bytes=LIMIT) as server:
        r = httpx.post(f"{server.url}/v1/ask", json={"question": "2022年共享住宿规模", "top_k": 3}, trust_env=False, timeout=30)
    assert r.status_code == 200 and "115" in r.json()["answer"]


def test_a_body_that_trickles_in_gets_408_after_the_body_timeout(engine: Engine) -> None:
    with server_in_thread(engine, body_timeout_s=1.0) as server, connect(server.address) as sock:
        t0 = time.monotonic()  # (before sending: after it, this thread may wait for the server thread's GIL)
        sock.sendall(post_head(len(QUESTION)) + QUESTION[:5])  # and the rest never comes
        status, headers, body, closed = read_response(sock, timeout=15)
        waited = time.monotonic() - t0
    assert (status, detail(body)) == (408, too_slow_detail(1.0))
    assert headers["connection"] == "close" and closed
    assert 0.9 <= waited < 8


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param(b"POST /v1/ask HTTP/1.1\r\nHost: test\r\n", id="half-the-headers"),
        pytest.param(b"", id="nothing"),
    ],
)
def test_a_connection_that_does_not_finish_its_headers_gets_408_and_is_closed(engine: Engine, sent: bytes) -> None:
    with server_in_thread(engine, header_timeout_s=1.0) as server:
        t0 = time.monotonic()  # (the wait runs from the connection: before it, not after this thread gets the GIL back)
        with connect(server.address) as sock:
            sock.sendall(sent)
            status, headers, body, closed = read_response(sock, timeout=15)
            waited = time.monotonic() - t0
    assert status == 408 and "headers did not arrive within 1 s" in detail(body)
    assert closed and 0.9 <= waited < 8


def test_the_server_parses_http_with_httptools_when_installed() -> None:
    from api.protocol import HTTPTOOLS_PROTOCOL, PROTOCOL

    assert PROTOCOL == HTTPTOOLS_PROTOCOL  # uvicorn[standard] is a dependency: the C parser, not h11


def test_request_headers_over_the_bound_get_431_and_the_connection_is_closed(engine: Engine) -> None:
    with server_in_thread(engine) as server, connect(server.address) as sock:
        sock.sendall(b"POST /v1/ask HTTP/1.1\r\nHost: test\r\nX-Filler: " + b"a" * (MAX_HEADER_BYTES + 1000) + b"\r\n")
        status, headers, body, closed = read_response(sock, timeout=15)
    assert status == 431 and closed
    assert detail(body) == f"the request headers are over {MAX_HEADER_BYTES} bytes — send shorter headers"


def test_a_body_sent_with_its_headers_in_one_write_is_not_counted_as_headers(engine: Engine) -> None:
    body = QUESTION + b" " * (2 * MAX_HEADER_BYTES)  # JSON allows trailing whitespace
    with server_in_thread(engine) as server, connect(server.address) as sock:
        sock.sendall(post_head(len(body)) + body)
        status, headers, answer, closed = read_response(sock, timeout=60)
    assert status == 200 and json.loads(answer)["question"]


def test_when_saturated_v1_answers_503_with_retry_after_and_the_held_requests_still_finish(engine: Engine) -> None:
    with server_in_thread(engine, max_concurrency=2, retry_after_s=3, body_timeout_s=30) as server:
        held = [connect(server.address, timeout=30) for _ in range(2)]
        for sock in held:  # two requests in flight: their bodies stop one byte short
            sock.sendall(post_head(len(QUESTION)) + QUESTION[:-1])
        with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as client:
            deadline = time.monotonic() + 10
            r = client.get("/v1/tables")
            while r.status_code != 503 and time.monotonic() < deadline:
                time.sleep(0.05)
                r = client.get("/v1/tables")
            assert (r.status_code, r.json()) == (503, {"detail": saturated_detail(2, 3)})
            assert r.headers["retry-after"] == "3"
            assert client.get("/healthz").status_code == 200, "health checks are never limited"
            for sock in held:
                sock.sendall(QUESTION[-1:])
            answers = [read_response(sock, timeout=60, close_wait=0.1) for sock in held]
            assert [a[0] for a in answers] == [200, 200]
            assert all("115" in json.loads(a[2])["answer"] for a in answers)
            assert client.get("/v1/tables").status_code == 200, "the slots are free again"
        for sock in held:
            sock.close()


def test_shutting_down_finishes_the_answer_in_flight_and_refuses_new_connections(engine: Engine) -> None:
    with server_in_thread(engine, body_timeout_s=30) as server, connect(server.address, timeout=30) as sock:
        sock.sendall(post_head(len(QUESTION)) + QUESTION[:-1])
        time.sleep(0.3)  # the request is in flight
        server.shut_down()  # as on SIGTERM
        deadline = time.monotonic() + 10
        refused = False
        while not refused and time.monotonic() < deadline:
            try:
                socket.create_connection(server.address, timeout=1).close()
                time.sleep(0.05)
            except OSError:
                refused = True
        assert refused, "the server still accepts connections while shutting down"
        sock.sendall(QUESTION[-1:])
        status, headers, body, closed = read_response(sock, timeout=60)
        assert status == 200 and "115" in json.loads(body)["answer"]
        assert closed
        server.thread.join(timeout=30)
        assert not server.thread.is_alive()
