"""The CESI back office: identity documents checked in person, and what staff did to online accounts.

Both tables are append-only in the database. Neither holds an identifier in clear: a document number is kept as
its last four characters and a keyed hash; the audit's detail holds masked contact data only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class DocumentType(models.TextChoices):
    INE = "ine", "Credencial para votar (INE)"
    PASAPORTE = "pasaporte", "Pasaporte mexicano"
    CEDULA = "cedula", "Cédula profesional"
    CARTILLA = "cartilla", "Cartilla del Servicio Militar Nacional"
    RESIDENTE = "residente", "Tarjeta de residente (antes FM2)"


class IdCheck(models.Model):
    """An official ID shown in person to a member of staff, for one worker."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="personal", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        "people.Worker", verbose_name="derechohabiente", on_delete=models.PROTECT, related_name="id_checks"
    )
    document_type = models.CharField("identificación", max_length=12, choices=DocumentType.choices)
    number_masked = models.CharField("número (enmascarado)", max_length=40)
    number_hmac = models.CharField("huella del número", max_length=64)
    created_at = models.DateTimeField("revisada el", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "identificación revisada"
        verbose_name_plural = "identificaciones revisadas"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number_masked}"


class ActionKind(models.TextChoices):
    UNLOCK = "unlock", "Desbloqueo de la cuenta"
    DELETE_ACCOUNT = "delete_account", "Eliminación de la cuenta en línea"
    CONTACT_CHANGE = "contact_change", "Cambio de correo o celular"
    MFA_RESET = "mfa_reset", "Retiro de la verificación en dos pasos"


class StaffAction(models.Model):
    """One action of a member of staff on a worker's online account, with its reason (append-only)."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="personal", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        "people.Worker", verbose_name="derechohabiente", on_delete=models.PROTECT, related_name="staff_actions"
    )
    action = models.CharField("acción", max_length=20, choices=ActionKind.choices)
    reason = models.TextField("motivo")
    id_check = models.ForeignKey(
        IdCheck, verbose_name="identificación revisada", on_delete=models.PROTECT, related_name="actions"
    )
    detail = models.CharField("detalle", max_length=300, blank=True)
    created_at = models.DateTimeField("fecha", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "acción del personal"
        verbose_name_plural = "bitácora del CESI"
        ordering = ("-created_at", "-pk")
        permissions = (
            ("validate_identity", "Puede validar la identidad y actuar sobre cuentas en línea (CESI)"),
            ("view_audit_log", "Puede consultar la bitácora del CESI"),
            ("view_feeds", "Puede consultar las cargas de archivos y los patrones con aportaciones omitidas"),
        )

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
