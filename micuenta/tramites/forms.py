"""The forms of trámites: «Corregir mis datos», answering a request for information, and the staff decisions."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from micuenta.core import identifiers
from micuenta.core.forms import AccessibleFormMixin
from micuenta.people.models import Worker
from micuenta.tramites.kinds.correccion import REQUIREMENTS
from micuenta.tramites.models import RejectionReason
from micuenta.tramites.services import MESSAGE_MAX
from micuenta.uploads.errors import UploadRefused
from micuenta.uploads.inspect import upload_inspect

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
FILE_HELP = "PDF, JPG o PNG, hasta 10 MB. Una foto clara y completa del documento sirve."
NAME_RE = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ' .-]+")


def _clean_text(value: str) -> str:
    """Text typed by a person: the usual characters (NFC), without invisible ones, single spaces."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(c for c in value if unicodedata.category(c) not in {"Cc", "Cf"} or c in "\n")
    return " ".join(value.split())


def _compact(value: str) -> str:
    value = unicodedata.normalize("NFKC", value)
    return "".join(c for c in value if not c.isspace() and c != "-" and unicodedata.category(c) not in {"Cf", "Cc"})


class DocumentField(forms.FileField):
    """A document to attach: inspected here (docs/uploads.md) so that a refused file is said on its own field."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file:
            try:
                upload_inspect(file)
            except UploadRefused as refused:
                raise ValidationError(refused.message, code=str(refused.code)) from None
            finally:
                file.seek(0)
        return file


def document_field(label: str, help_text: str, *, required: bool = True) -> forms.FileField:
    return DocumentField(
        required=required,
        label=label,
        help_text=f"{help_text} {FILE_HELP}".strip(),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": f"Adjunta tu {label[0].lower()}{label[1:]}.",
            "empty": "El archivo está vacío. Elige otro.",
            "invalid": "No pudimos leer el archivo. Elige otro.",
        },
    )


class CorrectionForm(AccessibleFormMixin, forms.Form):
    """What to correct (the page's `campo`: nombre, curp or rfc), its new value, and the proofs it needs."""

    explanation = forms.CharField(
        label="Explícanos qué está mal (opcional)",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, campo: str, worker: Worker, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campo = campo
        self.worker = worker
        fields: dict[str, forms.Field] = {}
        if campo == "nombre":
            fields["nombre"] = forms.CharField(
                label="Nombre(s)", max_length=100, error_messages={"required": "Escribe tu nombre o nombres."}
            )
            fields["primer_apellido"] = forms.CharField(
                label="Primer apellido", max_length=100, error_messages={"required": "Escribe tu primer apellido."}
            )
            fields["segundo_apellido"] = forms.CharField(
                label="Segundo apellido", max_length=100, required=False, help_text="Déjalo vacío si no tienes."
            )
        elif campo == "curp":
            fields["curp"] = forms.CharField(
                label="Tu CURP correcta",
                max_length=25,
                help_text="Son 18 letras y números, como aparece en tu Constancia de la CURP.",
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
                error_messages={"required": "Escribe tu CURP correcta."},
            )
        else:
            fields["rfc"] = forms.CharField(
                label="Tu RFC correcto",
                max_length=20,
                help_text="Son 13 letras y números, con homoclave, como aparece en tu Constancia de Situación Fiscal.",
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
                error_messages={"required": "Escribe tu RFC correcto, con homoclave."},
            )
        if campo in ("curp", "rfc"):
            fields["also_wrong"] = forms.BooleanField(
                label="Mis datos de nacimiento registrados también están mal; lo explico arriba y lo comprueban mis "
                "documentos.",
                required=False,
            )
        for requirement in REQUIREMENTS[campo]:
            fields[f"doc_{requirement.code}"] = document_field(requirement.label, requirement.help)
        explanation = self.fields.pop("explanation")
        self.fields.update(fields)
        self.fields["explanation"] = explanation
        from micuenta.core.form_messages import portal_error_messages

        portal_error_messages(self.fields)

    # --- values -------------------------------------------------------------------------------------------

    def _name_part(self, name: str) -> str:
        value = _clean_text(str(self.cleaned_data.get(name) or ""))
        if value and not NAME_RE.fullmatch(value):
            raise ValidationError(
                "Escribe solo letras, espacios, apóstrofos o guiones, como aparece en tu acta de nacimiento.",
                code="name_chars",
            )
        return value

    def clean_nombre(self) -> str:
        return self._name_part("nombre")

    def clean_primer_apellido(self) -> str:
        return self._name_part("primer_apellido")

    def clean_segundo_apellido(self) -> str:
        return self._name_part("segundo_apellido")

    def clean_curp(self) -> str:
        value = _compact(str(self.cleaned_data["curp"])).upper()
        identifiers.validate_curp(value)
        if value == self.worker.curp:
            raise ValidationError("Esa es la CURP que ya tenemos registrada: no hay nada que corregir.", code="same")
        if Worker.objects.filter(curp=value).exclude(pk=self.worker.pk).exists():
            raise ValidationError(
                "Esa CURP está registrada con otro Número de Seguridad Social. Para unificar tus cuentas acude a un "
                "Centro de Servicio Infonavit (CESI) con una identificación oficial.",
                code="curp_taken",
            )
        return value

    def clean_rfc(self) -> str:
        value = _compact(str(self.cleaned_data["rfc"])).upper()
        if re.fullmatch(r"[A-ZÑ&]{4}[0-9]{6}", value):
            raise ValidationError(
                "Escribe tu RFC completo, con los 3 caracteres de la homoclave (13 en total).", code="rfc_no_homoclave"
            )
        identifiers.validate_rfc(value, kind="fisica")
        if value == self.worker.rfc:
            raise ValidationError("Ese es el RFC que ya tenemos registrado: no hay nada que corregir.", code="same")
        return value

    def contradictions(self, value: str) -> list[str]:
        """What a new CURP or RFC says of the person's birth that the record does not: said, never accepted
        silently."""
        worker = self.worker
        said: list[str] = []
        if self.campo == "curp":
            born = identifiers.curp_birth_date(value)
            if born is not None and born != worker.fecha_nacimiento:
                said.append(
                    f"la fecha de nacimiento ({born:%d/%m/%Y}; en tu registro: {worker.fecha_nacimiento:%d/%m/%Y})"
                )
            if value[10] in ("H", "M") and value[10] != worker.sexo:
                shown = {"H": "hombre", "M": "mujer"}
                said.append(f"el sexo ({shown[value[10]]}; en tu registro: {shown.get(worker.sexo, worker.sexo)})")
            if value[11:13] != worker.entidad_nacimiento:
                said.append(f"la entidad de nacimiento ({value[11:13]}; en tu registro: {worker.entidad_nacimiento})")
        else:
            if value[4:10] != f"{worker.fecha_nacimiento:%y%m%d}":
                said.append(f"la fecha de nacimiento ({value[8:10]}/{value[6:8]}/{value[4:6]}; en tu registro: "
                            f"{worker.fecha_nacimiento:%d/%m/%y})")  # fmt: skip
        return said

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.campo == "nombre" and "nombre" in data and "primer_apellido" in data:
            new = (data["nombre"], data["primer_apellido"], data.get("segundo_apellido", ""))
            old = (self.worker.nombre, self.worker.primer_apellido, self.worker.segundo_apellido)
            if tuple(v.casefold() for v in new) == tuple(v.casefold() for v in old):
                raise ValidationError("Ese es el nombre que ya tenemos registrado: no hay nada que corregir.")
        value = data.get(self.campo)
        if self.campo in ("curp", "rfc") and value:
            said = self.contradictions(str(value))
            if said and not (data.get("also_wrong") and data.get("explanation", "").strip()):
                field = "CURP" if self.campo == "curp" else "RFC"
                self.add_error(
                    "also_wrong",
                    ValidationError(
                        f"Tu {field} nueva no coincide con tu registro en {' y '.join(said)}. Revisa que la hayas "
                        "escrito bien. Si tu registro es el que está mal, marca esta casilla y explícalo arriba; "
                        "lo revisaremos con tus documentos.",
                        code="contradiction",
                    ),
                )
            data["contradictions"] = said
        return data

    def request_data(self) -> dict[str, Any]:
        """What the case keeps: the field, its value now and as it should be, and what the person explained."""
        data = self.cleaned_data
        worker = self.worker
        if self.campo == "nombre":
            names = ("nombre", "primer_apellido", "segundo_apellido")
            old = {name: getattr(worker, name) for name in names}
            new = {name: data.get(name, "") for name in names}
        else:
            old = {self.campo: getattr(worker, self.campo)}
            new = {self.campo: data[self.campo]}
        return {
            "campo": self.campo,
            "anterior": old,
            "nuevo": new,
            "aviso": _clean_text(data.get("explanation", "")),
            "contradicciones": data.get("contradictions", []),
        }

    def attachments(self) -> list[tuple[Any, str]]:
        return [(self.cleaned_data[f"doc_{r.code}"], r.code) for r in REQUIREMENTS[self.campo]]


class AnswerForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label="Tu respuesta",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document = document_field("Adjuntar un documento (opcional)", "", required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("document") and not self.errors:
            raise ValidationError("Escribe tu respuesta o adjunta un documento antes de enviar.")
        return data


class InformationRequestForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label="¿Qué información necesitas?",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="La persona lo lee tal cual: di qué documento o dato falta y cómo enviarlo.",
        error_messages={"required": "Escribe qué información necesitas de la persona."},
    )


class RejectForm(AccessibleFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Motivo",
        choices=[("", "Elige el motivo"), *RejectionReason.choices],
        error_messages={"required": "Elige el motivo del rechazo de la lista."},
    )
    text = forms.CharField(
        label="Qué debe corregir la persona",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Escribe qué debe corregir la persona para volver a intentarlo."},
    )


class SendBackForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label="Por qué la regresas a revisión",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Escribe por qué regresas la solicitud a revisión."},
    )
