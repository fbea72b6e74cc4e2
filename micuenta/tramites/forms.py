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
        # What a new RFC may rightly have although it looks odd (a check digit the SAT assigned as it is, letters
        # that do not follow the registered name): the person confirms it, and staff read it on the case.
        self.warnings: list[str] = []
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
        if campo == "rfc":
            fields["confirmed"] = forms.BooleanField(
                label="Revisé mi RFC: lo escribí igual que en mi Constancia de Situación Fiscal.", required=False
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
        if value and not any(c.isalpha() for c in value):
            raise ValidationError(
                "Escribe el nombre con letras, como aparece en tu acta de nacimiento; los signos solos no son un "
                "nombre.",
                code="name_letters",
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
        result = identifiers.validate_rfc(value, kind="fisica")
        if value in identifiers.GENERIC_RFCS:
            raise ValidationError(
                "Ese es un RFC genérico del SAT, no el de una persona. Escribe el tuyo, como aparece en tu Constancia "
                "de Situación Fiscal.",
                code="rfc_generic",
            )
        if value == self.worker.rfc:
            raise ValidationError("Ese es el RFC que ya tenemos registrado: no hay nada que corregir.", code="same")
        if Worker.objects.filter(rfc=value).exclude(pk=self.worker.pk).exists():
            raise ValidationError(
                "Ese RFC está registrado con otro Número de Seguridad Social. Revisa que lo hayas escrito bien; si es "
                "el tuyo, acude a un Centro de Servicio Infonavit (CESI) con tu Constancia de Situación Fiscal y una "
                "identificación oficial.",
                code="rfc_taken",
            )
        if result.check_digit_ok is False:
            self.warnings.append(
                f"El último carácter de tu RFC («{value[-1]}», el dígito verificador) no es el que resulta de los "
                "demás. El SAT asignó algunos RFC así: si el tuyo aparece igual en tu Constancia de Situación Fiscal, "
                "está bien."
            )
        letters = self._rfc_letters()
        if letters and value[:4] != letters:
            self.warnings.append(
                f"Las 4 letras de tu RFC («{value[:4]}») no son las que resultan de tu nombre registrado "
                f"(«{letters}»). Si tu nombre registrado está mal, corrígelo primero con «Mi nombre»."
            )
        return value

    def _rfc_letters(self) -> str:
        worker = self.worker
        try:
            return identifiers.build_rfc_fisica(
                nombre=worker.nombre,
                primer_apellido=worker.primer_apellido,
                segundo_apellido=worker.segundo_apellido,
                fecha_nacimiento=worker.fecha_nacimiento,
            )[:4]
        except ValueError:
            return ""

    def contradictions(self, value: str) -> list[str]:
        """What a new CURP or RFC says of the person's birth that the record does not. Birth data are corrected
        only at a CESI with the birth certificate (docs/tramites.md): a contradiction is explained and refused."""
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
                names = identifiers.CURP_STATE_NAMES
                said.append(
                    f"la entidad de nacimiento ({names.get(value[11:13], value[11:13])}; en tu registro: "
                    f"{names.get(worker.entidad_nacimiento, worker.entidad_nacimiento)})"
                )
        elif value[4:10] != f"{worker.fecha_nacimiento:%y%m%d}":
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
            if said:
                article = "Tu nueva CURP" if self.campo == "curp" else "Tu nuevo RFC"
                self.add_error(
                    self.campo,
                    ValidationError(
                        f"{article} no coincide con tu registro en {' y '.join(said)}. Revisa que lo hayas escrito "
                        "bien. Si tus datos de nacimiento registrados son los que están mal, eso se corrige en un "
                        "Centro de Servicio Infonavit (CESI) con tu acta de nacimiento.",
                        code="contradiction",
                    ),
                )
            elif self.warnings and not data.get("confirmed"):
                self.add_error(
                    "confirmed",
                    ValidationError(
                        " ".join(self.warnings) + " Si lo escribiste bien, marca esta casilla y envía de nuevo.",
                        code="confirm",
                    ),
                )
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
            "advertencias": list(self.warnings),
        }

    def attachments(self) -> list[tuple[Any, str]]:
        return [(self.cleaned_data[f"doc_{r.code}"], r.code) for r in REQUIREMENTS[self.campo]]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(DocumentField):
    """Several documents chosen at once (Django's documented pattern for `multiple`), each inspected."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(DocumentsField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AnswerForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label="Tu respuesta",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    documents = DocumentsField(
        required=False,
        label="Adjuntar documentos (opcional)",
        error_messages={
            "empty": "Uno de los archivos está vacío. Elige otro.",
            "invalid": "No pudimos leer uno de los archivos. Elige otro.",
        },
    )

    def __init__(self, *args: Any, room: int, **kwargs: Any) -> None:
        """`room`: how many more files the case can hold (the limit per case, docs/uploads.md)."""
        super().__init__(*args, **kwargs)
        self.room = room
        if room <= 0:
            del self.fields["documents"]
        else:
            more = "uno" if room == 1 else f"hasta {room}"
            self.fields["documents"].help_text = f"Puedes elegir varios a la vez, {more} en esta solicitud. {FILE_HELP}"

    def clean_documents(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("documents") or []
        if len(files) > self.room:
            raise ValidationError(
                f"En esta solicitud caben {self.room} archivo{'s' if self.room != 1 else ''} más y elegiste "
                f"{len(files)}. Elige menos, o junta varias hojas en un solo PDF.",
                code="too_many_files",
            )
        return files

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("documents") and not self.errors:
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


class ReassignForm(AccessibleFormMixin, forms.Form):
    assignee = forms.TypedChoiceField(
        label="Pasarla a",
        coerce=int,
        error_messages={
            "required": "Elige de la lista a quién pasas la solicitud.",
            "invalid_choice": "Elige de la lista a quién pasas la solicitud.",
        },
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Elige a una persona"), *people]  # type: ignore[attr-defined]


class SendBackForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label="Por qué la regresas a revisión",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Escribe por qué regresas la solicitud a revisión."},
    )
