"""Invalid Unicode in a JSON body is the client's mistake: 400 with the place and the fix, never a 500.

JSON may escape a lone surrogate (``"\\ud800"``); Python decodes it into a ``str`` that cannot be encoded
as UTF-8 again, so it would fail deep inside the answer or while writing the response. ``UnicodeCheckedRoute``
(the route class of the API's routers) rejects such a body right after it is parsed, wherever the bad
string is: a value, a key, inside a list.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from reportqa.questions import is_valid_unicode

PROBLEM = "a lone surrogate such as \\ud800: send UTF-8 text, a character outside the BMP as one surrogate pair"


def invalid_unicode_at(value: Any, where: str = "body") -> str | None:
    """The first place in parsed JSON holding a string that is not valid Unicode ('question', 'body.items[2]'), or None."""
    if isinstance(value, str):
        return None if is_valid_unicode(value) else where
    if isinstance(value, dict):
        for key, item in value.items():
            if not is_valid_unicode(key):
                return f"a field name in {where}"
            found = invalid_unicode_at(item, key if where == "body" else f"{where}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = invalid_unicode_at(item, f"{where}[{i}]")
            if found:
                return found
    return None


def invalid_unicode_detail(where: str) -> str:
    """What the 400 says."""
    return f"{where} is not valid Unicode ({PROBLEM})"


class UnicodeCheckedRequest(Request):
    """A request whose ``json()`` refuses strings that are not valid Unicode (HTTP 400)."""

    async def json(self) -> Any:
        data = await super().json()
        where = invalid_unicode_at(data)
        if where:
            raise HTTPException(status_code=400, detail=invalid_unicode_detail(where))
        return data


class UnicodeCheckedRoute(APIRoute):
    """An ``APIRoute`` whose JSON bodies go through ``UnicodeCheckedRequest``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            return await handler(UnicodeCheckedRequest(request.scope, request.receive))

        return checked
