"""Demo accounts: synthetic people, loaded only in demo mode."""

from __future__ import annotations

from dataclasses import dataclass

# Shown on screen by `make run`; valid only in a demo database.
DEMO_PASSWORD = "Demo-MiCuenta-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    is_staff: bool = False
    is_superuser: bool = False
    group: str = ""  # a staff role (Django group), e.g. "Asesor CESI"
    mobile: str = ""  # workers only: where SMS codes go (read them in the Buzón de desarrollo)


# The .test domain is reserved (RFC 2606): no real mailbox can receive these.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "ana.demo@micuenta.test",
        "Ana Sofía",
        "Villarreal Quiroga",
        "Ahorradora sin crédito, varios patrones",
        mobile="5500000101",
    ),
    DemoAccount(
        "bruno.demo@micuenta.test",
        "Bruno",
        "Cárdenas Ibarra",
        "Acreditado que paga por nómina (ROA)",
        mobile="5500000102",
    ),
    DemoAccount(
        "carla.demo@micuenta.test",
        "Carla Patricia",
        "Montes Ugalde",
        "Acreditada REA, con pagos atrasados",
        mobile="5500000103",
    ),
    DemoAccount(
        "diego.demo@micuenta.test",
        "Diego Armando",
        "Salinas Ferrer",
        "Crédito liquidado, con saldo a favor",
        mobile="5500000104",
    ),
    DemoAccount(
        "elena.demo@micuenta.test", "Elena", "Rosales Guzmán", "Pensionada con ahorro por devolver", mobile="5500000105"
    ),
    DemoAccount("personal.demo@micuenta.test", "Carmen", "Olvera Núñez", "Personal (administración)", True, True),
    DemoAccount(
        "asesor.demo@micuenta.test",
        "Raúl",
        "Mendoza Treviño",
        "Asesor CESI (validación de identidad)",
        is_staff=True,
        group="Asesor CESI",
    ),
    DemoAccount(
        "supervisor.demo@micuenta.test",
        "Patricia",
        "Lozano Esquivel",
        "Supervisor CESI",
        is_staff=True,
        group="Supervisor CESI",
    ),
    DemoAccount(
        "analista.demo@micuenta.test",
        "Jorge",
        "Beltrán Ochoa",
        "Analista de trámites",
        is_staff=True,
        group="Analista de trámites",
    ),
    DemoAccount(
        "supervisora.tramites.demo@micuenta.test",
        "Lucía",
        "Paredes Anaya",
        "Supervisora de trámites (confirma aprobaciones)",
        is_staff=True,
        group="Supervisor de trámites",
    ),
)
