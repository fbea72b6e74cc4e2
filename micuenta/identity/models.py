"""The online account (Mi Cuenta). Registration, recovery and the link to the worker come with identity work."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


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

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or "derechohabiente"

    @property
    def short_name(self) -> str:
        return self.get_short_name()
