"""The notification outbox: one row for every e-mail and SMS the portal sends."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Correo electrónico"
    SMS = "sms", "SMS"


class Status(models.TextChoices):
    QUEUED = "queued", "En cola"
    SENDING = "sending", "Enviándose"
    SENT = "sent", "Enviado"
    DELIVERED = "delivered", "Entregado"
    FAILED = "failed", "No se pudo enviar"


class OutboxMessage(models.Model):
    """A message as recorded when it was queued.

    The full address is kept only until delivery ends (then only the masked form stays), and the body only
    in demo mode (settings.NOTIFICATIONS_KEEP_BODY): it may hold a confirmation code or a one-time link.
    """

    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    template = models.CharField("plantilla", max_length=100)
    recipient_masked = models.CharField("destinatario (enmascarado)", max_length=120)
    to_address = models.CharField("destinatario", max_length=254, blank=True)
    subject = models.CharField("asunto", max_length=200, blank=True)
    body = models.TextField("texto", blank=True)
    html_body = models.TextField("texto HTML", blank=True)
    status = models.CharField("estado", max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField("intentos", default=0)
    error = models.CharField("error", max_length=200, blank=True)
    created_at = models.DateTimeField("creado", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("enviado", null=True, blank=True)
    # What the SMS provider said: its id for the message and the last delivery status it reported.
    provider_id = models.CharField("id en el proveedor", max_length=64, blank=True, db_index=True)
    provider_status = models.CharField("estado en el proveedor", max_length=20, blank=True)
    provider_status_at = models.DateTimeField("estado del proveedor recibido", null=True, blank=True)

    class Meta:
        verbose_name = "mensaje enviado"
        verbose_name_plural = "mensajes enviados"
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("status", "created_at"), name="outbox_status_created"),)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} → {self.recipient_masked}"
