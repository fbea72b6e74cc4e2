"""The online account (Mi Cuenta): the account, its registration, codes, sessions and security history."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("Una cuenta necesita un correo electrónico.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def by_email(self, email: str) -> models.QuerySet[User]:
        """The account with this e-mail address, whatever its case: LOWER(email) = LOWER(value), which the unique
        index on LOWER(email) answers (Django's `iexact` compares UPPER(…) and would read every account)."""
        return self.get_queryset().alias(email_ci=Lower("email")).filter(email_ci=Lower(Value(email)))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a worker with a Mi Cuenta account, or a member of staff."""

    email = models.EmailField("correo electrónico", unique=True)
    first_name = models.CharField("nombre(s)", max_length=150, blank=True)
    last_name = models.CharField("apellidos", max_length=150, blank=True)
    is_staff = models.BooleanField(
        "personal del Instituto", default=False, help_text="Puede entrar a la administración."
    )
    is_active = models.BooleanField("activa", default=True)
    date_joined = models.DateTimeField("fecha de alta", default=timezone.now)
    worker = models.OneToOneField(
        "people.Worker",
        verbose_name="derechohabiente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
        help_text="La persona del padrón a la que pertenece la cuenta (vacío para el personal).",
    )

    mobile = models.CharField(
        "número de celular", max_length=10, blank=True, help_text="Diez dígitos, sin el 52 del país."
    )
    security_locked_at = models.DateTimeField(
        "bloqueada por seguridad",
        null=True,
        blank=True,
        help_text="Desde cuándo la cuenta no puede iniciar sesión (\u201cNo fui yo\u201d o personal del CESI).",
    )
    security_lock_reason = models.CharField("motivo del bloqueo", max_length=200, blank=True)
    password_changed_at = models.DateTimeField("último cambio de contraseña", null=True, blank=True)
    security_lock_cesi_only = models.BooleanField(
        "solo el CESI lo levanta",
        default=False,
        help_text="Bloqueo tras un cambio de contacto o de segundo factor no reconocido: una contraseña nueva por "
        "correo no basta, porque el correo pudo haber cambiado de manos.",
    )
    mfa_enabled = models.BooleanField(
        "verificación en dos pasos", default=False, help_text="Tiene al menos un método confirmado."
    )
    # Part of the session hash: raising it ends every session of the account at once, wherever it is.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "cuenta"
        verbose_name_plural = "cuentas"
        constraints = (
            # Sign-in lower-cases the address: two accounts must not differ only in case.
            models.UniqueConstraint(
                Lower("email"),
                name="identity_user_email_ci_unique",
                violation_error_message="Ya existe una cuenta con este correo electrónico.",
            ),
        )

    def __str__(self) -> str:
        return self.get_full_name() or f"Cuenta {self.pk}"

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def _get_session_auth_hash(self, secret: Any = None) -> str:
        """Django's session hash, over the password and the session epoch (see sessions_end_all)."""
        key_salt = "micuenta.identity.models.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}|{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or "derechohabiente"

    @property
    def short_name(self) -> str:
        return self.get_short_name()


class TermsVersion(models.Model):
    """One published version of the terms and conditions; the newest in force is the one accepted."""

    version = models.CharField("versión", max_length=20, unique=True)
    in_force_from = models.DateField("vigente desde")
    title = models.CharField("título", max_length=200)
    body = models.TextField("texto")

    class Meta:
        verbose_name = "versión de los términos y condiciones"
        verbose_name_plural = "versiones de los términos y condiciones"
        ordering = ("-in_force_from",)

    def __str__(self) -> str:
        return f"{self.title} (versión {self.version})"


class TermsAcceptance(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField("aceptados el", default=timezone.now)

    class Meta:
        verbose_name = "aceptación de términos"
        verbose_name_plural = "aceptaciones de términos"

    def __str__(self) -> str:
        return f"Versión {self.terms_id} aceptada el {self.accepted_at:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """A "Quiero una cuenta" in progress. It lives 24 h; the account exists only once it is complete."""

    token = models.CharField(max_length=43, unique=True)  # held in the person's session, never in a URL
    worker = models.ForeignKey("people.Worker", on_delete=models.CASCADE, related_name="registrations")
    email = models.EmailField("correo electrónico", blank=True)
    mobile = models.CharField("número de celular", max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    mobile_confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "registro en curso"
        verbose_name_plural = "registros en curso"

    def __str__(self) -> str:
        return f"Registro {self.pk}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class CodePurpose(models.TextChoices):
    REGISTRATION_EMAIL = "registro-correo", "Registro: confirmar correo"
    REGISTRATION_MOBILE = "registro-celular", "Registro: confirmar celular"
    ACCOUNT_DELETION = "borrar-cuenta", "Borrar la cuenta"
    SELF_DELETION = "borrar-cuenta-perfil", "Eliminar la cuenta desde Mi perfil"
    CHANGE_EMAIL = "cambio-correo", "Cambiar el correo"
    CHANGE_MOBILE = "cambio-celular", "Cambiar el celular"


class ConfirmationCode(models.Model):
    """A 6-digit code sent by e-mail or SMS. Only its keyed hash is stored.

    One row per purpose and subject (a registration, an account): asking again sends a new code on the same
    row, so the wrong-try count and the day's send count survive a resend.
    """

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    subject = models.CharField(max_length=80)  # "registration:<id>", "user:<id>", "nobody:<random>"
    channel = models.CharField(max_length=5)  # "email" or "sms"
    destination_masked = models.CharField(max_length=120, blank=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    sends_today = models.PositiveSmallIntegerField(default=1)
    sends_day = models.DateField(default=timezone.localdate)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "código de confirmación"
        verbose_name_plural = "códigos de confirmación"
        constraints = (models.UniqueConstraint(fields=("purpose", "subject"), name="identity_code_one_per_subject"),)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.destination_masked})"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", "Inicio de sesión"
    LOGIN_FAILED = "login-fallido", "Intento fallido de inicio de sesión"
    LOCKED = "bloqueo", "Acceso bloqueado temporalmente"
    SECURITY_LOCK = "bloqueo-seguridad", "Cuenta bloqueada por seguridad"
    UNLOCKED = "desbloqueo", "Cuenta desbloqueada"
    LOGOUT = "cierre", "Cierre de sesión"
    LOGOUT_ALL = "cierre-todos", "Cierre de sesión en todos los dispositivos"
    SESSION_ENDED = "sesion-cerrada", "Sesión cerrada desde otro dispositivo"
    ACCOUNT_CREATED = "alta", "Cuenta creada"
    REGISTRATION_REFUSED = "registro-rechazado", "Intento de registro con tus datos"
    PASSWORD_RESET_REQUESTED = "recuperacion", "Solicitud para recuperar la contraseña"
    PASSWORD_CHANGED = "contrasena", "Cambio de contraseña"
    EMAIL_CHANGED = "correo", "Cambio de correo electrónico"
    MOBILE_CHANGED = "celular", "Cambio de número de celular"
    MFA_ENABLED = "2fa-alta", "Segundo factor activado"
    MFA_DISABLED = "2fa-baja", "Segundo factor desactivado"
    MFA_FAILED = "2fa-fallido", "Segundo factor incorrecto"
    ACCOUNT_DELETED = "baja", "Cuenta borrada"
    STAFF_ACTION = "personal", "Acción del personal del CESI"
    STAFF_LOOKUP = "consulta-cesi", "Consulta de tus datos en un CESI"
    REPORTED = "no-fui-yo", "Reportado como \u201cNo fui yo\u201d"
    DATA_CORRECTED = "datos-corregidos", "Corrección de tus datos personales"
    DOCUMENT_VIEWED = "documento-visto", "El personal descargó un documento de tu trámite"


class SecurityEvent(models.Model):
    """One line of "Actividad de seguridad". Holds no identifier: IP as a /24 (or /48), device as a summary."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events")
    worker = models.ForeignKey(
        "people.Worker", null=True, blank=True, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField("qué pasó", max_length=20, choices=SecurityEventKind.choices)
    created_at = models.DateTimeField("cuándo", default=timezone.now, db_index=True)
    network = models.CharField("red", max_length=64, blank=True)
    device = models.CharField("dispositivo", max_length=120, blank=True)
    place = models.CharField("lugar aproximado", max_length=120, blank=True)
    detail = models.CharField("detalle", max_length=300, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="personal"
    )
    reported_at = models.DateTimeField("reportado como no reconocido", null=True, blank=True)

    class Meta:
        verbose_name = "evento de seguridad"
        verbose_name_plural = "eventos de seguridad"
        ordering = ("-created_at", "-pk")
        indexes = (models.Index(fields=("user", "-created_at")),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class DeviceSession(models.Model):
    """A signed-in session, listed under "Sesiones activas" so that it can be closed from elsewhere."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_sessions")
    session_key = models.CharField(max_length=40, unique=True)  # to end it in the session store
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    network = models.CharField(max_length=64, blank=True)
    device = models.CharField(max_length=120, blank=True)
    place = models.CharField(max_length=120, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sesión"
        verbose_name_plural = "sesiones"
        ordering = ("-last_seen_at",)

    def __str__(self) -> str:
        return f"{self.device or 'Dispositivo'} desde {self.created_at:%Y-%m-%d %H:%M}"


class UsedChallenge(models.Model):
    """A solved security challenge, kept until it expires so that it cannot be replayed."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Reto usado hasta {self.expires_at:%Y-%m-%d %H:%M}"
