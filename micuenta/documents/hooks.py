"""Telling a person that a document was issued for them, without the documents layer knowing accounts.

A document issued without the person asking for it (an aviso when their credit or employer changes) carries a
`DocumentNotice`: where in the portal to find it and what to do with it. The domain that knows the person's account
(identity) registers a hook in its `AppConfig.ready()`; `document_issue` calls it in the issue's own transaction, so
the message is queued if and only if the document exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from micuenta.documents.models import OfficialDocument


@dataclass(frozen=True)
class DocumentNotice:
    where: str  # the portal path where the person finds the document
    what_to_do: str  # one sentence: what the person does with it


NoticeHook = Callable[["OfficialDocument", DocumentNotice], object]

_hooks: list[NoticeHook] = []


def document_notice_connect(hook: NoticeHook) -> None:
    """Call `hook(document, notice)` for every document issued with a notice (once, however often connected)."""
    if hook not in _hooks:
        _hooks.append(hook)


def document_notice_run(document: OfficialDocument, notice: DocumentNotice) -> None:
    for hook in _hooks:
        hook(document, notice)
