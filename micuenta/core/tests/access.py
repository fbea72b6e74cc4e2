"""The access matrix: every route of the portal and who may open it.

Each route is in exactly one class:
- PUBLIC: anyone, signed in or not.
- OWN_ACCOUNT: a signed-in person; no identifier in the URL, the page shows only that person's own data.
- STAFF: the administration (namespace "admin") and the CESI back office (namespace "backoffice"); a signed-in
  person who is not staff is sent to its login (the back office may answer 403 or 404 instead).
- PERSON_SCOPED: a URL that names something that belongs to a person (a credit, a statement, a case). Each
  entry builds, for an owner, the URL kwargs of one of the owner's objects; another signed-in person must get
  404 there, exactly as for something that does not exist.

A new route that is in none of them fails test_access_matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC: frozenset[str] = frozenset(
    {
        "core:home",
        "core:health",
        "core:privacy_notice",
        "identity:login",
        "identity:logout",  # POST only; ends whatever session the caller has
        "notifications:buzon",  # demo mode only; 404 otherwise
        "notifications_provider:sms_status",  # POST only; the SMS provider, verified by its signature
        "demo:people",  # demo mode only; 404 otherwise
        "admin:login",
        "backoffice:login",  # the CESI staff sign-in
        "backoffice:logout",  # POST only; ends whatever session the caller has
        "security:locked",  # what to do after "No fui yo" (the person is already signed out)
        "security:locked_cesi",  # the same, when only a CESI can unlock
        "security:deleted",  # «Eliminamos tu cuenta en línea»: the person was just signed out; else the sign-in page
        # Quiero una cuenta, Olvidé mi contraseña, No tengo acceso a mi correo: before signing in
        "identity:register",
        "identity:register_mismatch",
        "identity:register_contact",
        "identity:register_confirm_email",
        "identity:register_confirm_mobile",
        "identity:register_password",
        "identity:register_done",
        "identity:password_reset",
        "identity:password_reset_sent",
        "identity:password_reset_confirm",
        "identity:password_reset_complete",
        "identity:lost_email",
        "identity:delete_account",
        "identity:delete_account_code",
        "identity:terms",
        "identity:cesi",
        # Verificar un documento: anyone who received one (an employer, a notary, the SAT); rate-limited
        "documents:verify",
        "documents:verify_file",
        "documents:verify_link",
        # The session's clock: JSON for the idle warning; 401 without a session, never data of anyone
        "identity:session_status",
        "identity:session_keepalive",  # POST only
        "mfa:lost",  # what to do without the phone or the passkey: general help, reached before verifying
        # django-otp-webauthn's ceremony API (POST, JSON). Each checks the session itself: registration needs a
        # signed-in person (and a verified session once they have a factor), authentication without a signed-in
        # person is refused because passwordless sign-in is off; jsi18n is the library's translations.
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)

# Public steps of a flow: without the flow in progress in the caller's session they send back to its start.
PUBLIC_FLOW_STEPS: dict[str, str] = {
    "identity:register_contact": "identity:register",
    "identity:register_confirm_email": "identity:register",
    "identity:register_confirm_mobile": "identity:register",
    "identity:register_password": "identity:register",
    "identity:register_done": "identity:login",
    "identity:delete_account_code": "identity:delete_account",
    "security:deleted": "identity:login",
}

# Public routes whose URL carries arguments: what the anonymous check opens (an invalid or used link).
PUBLIC_KWARGS: dict[str, dict[str, str]] = {
    "documents:verify_link": {"folio": "AVR-2026-000001", "code": "ABCDEFGHJK"},
    "identity:password_reset_confirm": {"uidb64": "MA", "token": "enlace-invalido"},
}

# Public routes that do not answer an anonymous GET with a page.
PUBLIC_ANONYMOUS_STATUS: dict[str, int] = {
    "documents:verify_link": 404,  # a folio and code that name no document
    "identity:session_status": 401,
    "identity:session_keepalive": 405,
    "notifications_provider:sms_status": 405,
    "otp_webauthn:credential-registration-begin": 403,
    "otp_webauthn:credential-registration-complete": 403,
    "otp_webauthn:credential-authentication-begin": 403,
    "otp_webauthn:credential-authentication-complete": 403,
}

OWN_ACCOUNT: dict[str, str] = {
    # route -> how the test reaches it
    "core:dashboard": "GET",
    "identity:profile": "GET",
    # Mi perfil → Seguridad (the actions are POSTs to these same URLs; GET shows the form or a confirmation)
    "security:index": "GET",
    "security:password": "GET",
    "security:email": "GET",
    "security:email_confirm": "GET",
    "security:mobile": "GET",
    "security:mobile_confirm": "GET",
    "security:activity": "GET",
    "security:sessions": "GET",
    "security:end_all": "GET",
    "security:delete": "GET",  # Eliminar mi cuenta en línea: what it does, and the password
    "security:delete_confirm": "GET",  # the code sent by SMS (without one pending: start again)
    # Verificación en dos pasos: the check after the password, and enrolment and removal of factors (the
    # actions are POSTs to these same URLs; the factor to remove is chosen among the person's own)
    "mfa:verify": "GET",
    "mfa:manage": "GET",
    "mfa:totp_setup": "GET",
    "mfa:passkey_add": "GET",
    "mfa:recovery_codes": "GET",
    "mfa:remove": "GET",
    "mfa:staff_enrol": "GET",  # where staff without a factor are sent; a worker is sent to mfa:manage
    # Mi ahorro: the person's own savings, movements (page, CSV, PDF) and employment history; GET only
    "savings:balance": "GET",
    "savings:movements": "GET",
    "savings:movements_csv": "GET",
    "savings:movements_pdf": "GET",
    "savings:employment": "GET",
    # Mi crédito: the person's own credits (another of theirs through ?credito=, checked against their own):
    # what they owe, how to pay, the list of statements, the history (page, CSV, PDF); GET only
    "credits:balance": "GET",
    "credits:how_to_pay": "GET",
    "credits:statements": "GET",
    "credits:history": "GET",
    "credits:history_csv": "GET",
    "credits:history_pdf": "GET",
    # Constancia de Intereses: the closed years of the person's own credit, one year's figures
    "credits:constancia": "GET",
    # Avisos de retención, suspensión y modificación de descuentos: the person's own, by folio for the PDF
    "avisos:index": "GET",
    # Trámites: what can be started and the person's own cases; «Corregir mis datos» (choose, then the form)
    "tramites:index": "GET",
    "tramites:correccion": "GET",
}

STAFF_NAMESPACES: frozenset[str] = frozenset({"admin", "backoffice"})

# Back-office routes whose URL carries arguments: what the check opens (none of them names a person).
BACKOFFICE_KWARGS: dict[str, dict[str, object]] = {
    "backoffice:feed_run": {"run_id": 1},
    "backoffice:employer_owing": {"registro_patronal": "A1234567890"},
    "backoffice:tramites_case": {"folio": "COR-2026-000001"},
    "backoffice:tramites_document": {"folio": "COR-2026-000001", "document_id": 1},
    "backoffice:tramites_action": {"folio": "COR-2026-000001", "action": "tomar"},
}


def _own_security_event(owner: Any) -> dict[str, Any]:
    from micuenta.core.actors import Actor
    from micuenta.identity.models import SecurityEventKind
    from micuenta.identity.services.history import security_event_record

    return {"pk": security_event_record(actor=Actor.system("pruebas"), kind=SecurityEventKind.LOGIN, user=owner).pk}


def _own_device_session(owner: Any) -> dict[str, Any]:
    import secrets

    from micuenta.identity.models import DeviceSession

    session = DeviceSession.objects.create(user=owner, session_key=secrets.token_hex(16), device="Chrome en Android")
    return {"pk": session.pk}


def _own_aviso(owner: Any) -> dict[str, Any]:
    from micuenta.core.actors import Actor
    from micuenta.credits.models import Regime
    from micuenta.credits.tests.factories import CreditFactory, originate
    from micuenta.employment.tests.factories import EmploymentRelationFactory
    from micuenta.people.tests.factories import WorkerFactory
    from micuenta.savings.avisos import avisos_ensure

    owner.worker = WorkerFactory.create()
    owner.save(update_fields=["worker"])
    EmploymentRelationFactory.create(worker=owner.worker)
    credit = originate(CreditFactory.create(worker=owner.worker, regime=Regime.ROA))
    return {"folio": avisos_ensure(actor=Actor.system("pruebas"), credit=credit)[0].folio}


def _own_credit_year(owner: Any) -> dict[str, Any]:
    from datetime import date

    from micuenta.credits.tests.factories import accrue

    _own_credit_month(owner)
    accrue(month=date(2025, 12, 1))  # the interest of 2025, the year the factory's credit was formalised
    return {"ejercicio": 2025}


def _own_credit_month(owner: Any) -> dict[str, Any]:
    from micuenta.credits.tests.factories import CreditFactory, originate
    from micuenta.people.tests.factories import WorkerFactory

    owner.worker = WorkerFactory.create()
    owner.save(update_fields=["worker"])
    originate(CreditFactory.create(worker=owner.worker))
    return {"periodo": "2025-04"}  # the first month after the factory's origination (14/03/2025)


def _own_case(owner: Any) -> dict[str, Any]:
    from micuenta.people.tests.factories import WorkerFactory
    from micuenta.tramites.tests.factories import file_curp_correction

    owner.worker = WorkerFactory.create()
    owner.save(update_fields=["worker"])
    return {"folio": file_curp_correction(owner).folio}


def _own_case_document(owner: Any) -> dict[str, Any]:
    folio = _own_case(owner)["folio"]
    from micuenta.tramites.models import CaseDocument

    return {"folio": folio, "document_id": CaseDocument.objects.filter(case__folio=folio).first().pk}  # type: ignore[union-attr]


# route -> builder(owner) -> URL kwargs of an object that belongs to owner
PERSON_SCOPED: dict[str, Callable[[Any], dict[str, Any]]] = {
    "security:report": _own_security_event,  # GET: the "No fui yo" confirmation
    "security:session_end": _own_device_session,  # GET: the "Cerrar" confirmation
    # Mi crédito: a month's estado de cuenta of the person's own credit (page and PDF)
    "credits:statement": _own_credit_month,
    "credits:statement_pdf": _own_credit_month,
    "credits:constancia_pdf": _own_credit_year,
    "avisos:pdf": _own_aviso,
    # Trámites: a case of the person's own by its folio (its page, the answer form, cancelling, a document)
    "tramites:case": _own_case,
    "tramites:answer": _own_case,
    "tramites:withdraw": _own_case,
    "tramites:document": _own_case_document,
}


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    pattern: str  # the full pattern, for messages and for unnamed routes
    namespace: str

    @property
    def key(self) -> str:
        return self.name or self.pattern


def iter_routes(urlconf: str | None = None) -> Iterator[Route]:
    """Every URL pattern reachable from the URLconf, with its full name and pattern."""

    def walk(patterns: list[Any], prefix: str, namespaces: tuple[str, ...]) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                nested = (*namespaces, entry.namespace) if entry.namespace else namespaces
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), nested)
            elif isinstance(entry, URLPattern):
                ns = ":".join(namespaces)
                name = f"{ns}:{entry.name}" if ns and entry.name else entry.name
                yield Route(
                    name=name, pattern=prefix + str(entry.pattern), namespace=namespaces[0] if namespaces else ""
                )

    yield from walk(get_resolver(urlconf).url_patterns, "", ())


def classify(route: Route) -> str | None:
    if route.name in PUBLIC:
        return "public"
    if route.name in OWN_ACCOUNT:
        return "own_account"
    if route.name in PERSON_SCOPED:
        return "person_scoped"
    if route.namespace in STAFF_NAMESPACES:
        return "staff"
    return None


def unclassified(routes: list[Route]) -> list[str]:
    return sorted(route.key for route in routes if classify(route) is None)


def assert_person_scoped(
    client: Any, name: str, build_kwargs: Callable[[Any], dict[str, Any]], *, owner: Any, other: Any
) -> None:
    """The owner opens the page; another signed-in person gets 404 at the same URL."""
    url = reverse(name, kwargs=build_kwargs(owner))
    client.force_login(owner)
    owner_status = client.get(url).status_code
    assert owner_status == 200, f"{name}: the owner got {owner_status} at {url}"
    client.logout()
    client.force_login(other)
    other_status = client.get(url).status_code
    client.logout()
    assert other_status == 404, f"{name}: another signed-in person got {other_status} at {url}, not 404"
