"""Form helpers shared by every domain."""

from __future__ import annotations

from typing import Any


class AccessibleFormMixin:
    """Marks invalid fields with aria-invalid and ties help and error texts to them with aria-describedby.

    Matches the ids written by core/_field.html.
    """

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
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
