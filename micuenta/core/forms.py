"""Form helpers shared by every domain."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict


def one_message_per_field(errors: ErrorDict) -> None:
    """One message per problem: each field keeps only its first message, and the form's own messages keep only the
    first that does not repeat word for word what a field already says.

    A field that fails several checks at once (a password both too short and too common) says first what to
    fix first; the next check speaks once that one is fixed.
    """
    said: set[str] = set()
    for name, messages in errors.items():
        if name != NON_FIELD_ERRORS:
            del messages[1:]
            said.update(str(message) for message in messages)
    own = errors.get(NON_FIELD_ERRORS)
    if own is not None:
        kept = [error for error in own.as_data() if not said.intersection(error.messages)][:1]
        if kept:
            own.data[:] = kept
        else:
            del errors[NON_FIELD_ERRORS]


class AccessibleFormMixin:
    """One message per field, each tied to its field: aria-invalid and aria-describedby.

    Matches the ids written by core/_field.html. Django's own messages are said in the portal's voice
    (`core/form_messages.py`). A message a view adds after validation (`add_error`) follows the same rule: it is
    kept only if the field had none.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from micuenta.core.form_messages import portal_error_messages

        portal_error_messages(self.fields)  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        self._messages_settled = False
        super().full_clean()  # type: ignore[misc]
        self._settle_messages()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        if getattr(self, "_messages_settled", False):  # a view's message, after validation
            self._settle_messages()

    def _settle_messages(self) -> None:
        errors: ErrorDict | None = getattr(self, "_errors", None)
        if errors is None:  # an unbound form
            return
        one_message_per_field(errors)
        self._messages_settled = True
        fields: dict[str, Any] = self.fields  # type: ignore[attr-defined]
        for name, field in fields.items():
            bound = self[name]  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-ayuda")
            if bound.errors:
                described.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            else:
                field.widget.attrs.pop("aria-describedby", None)
