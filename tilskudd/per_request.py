"""A memo that lives for one request: what every page asks more than once (who the user
acts for) is read once, and nothing outlives the request (tasks, shells and service tests,
which run outside one, always read afresh)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("tilskudd_per_request", default=None)


class PerRequestMemoMiddleware:
    """Opens an empty memo for each request and drops it after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """compute() once per request for `key` (every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def in_request() -> bool:
    return _memo.get() is not None


def forget(key: Hashable) -> None:
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
