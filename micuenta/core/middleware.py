"""Middleware of the portal."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class HeadAsGetMiddleware:
    """HEAD is answered wherever GET is (RFC 9110, 9.3.2): the GET's status and headers, without the body.

    Views declare the methods they take (`require_GET`, `require_http_methods`); a HEAD request runs as a GET
    through every layer, and only the body is dropped on the way out. A view that refuses GET refuses HEAD the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []  # type: ignore[attr-defined]
        else:
            length = len(response.content)
            response.content = b""
            if not response.has_header("Content-Length") and length:
                response["Content-Length"] = str(length)
        return response


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong HTTP method with an empty 405; people get a page in Spanish instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response


class NullCharacterAddressMiddleware:
    """An address (its path or query) with a NUL character names nothing here: it gets the 400 page.

    No URL of the portal holds one, and PostgreSQL refuses it in any text it is asked to compare, so a search or a
    lookup fed one would fail instead of answering. Forms keep their own message for it (`core/form_messages.py`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        parts = [request.path, *query.keys(), *(value for key in query for value in query.getlist(key))]
        if any("\x00" in part for part in parts):
            return render(request, "400.html", status=400)
        return self.get_response(request)
