"""The bank payments file: borrowers' direct payments (ventanilla, SPEI, establecimientos) as the collecting bank
reports them, one line per payment (docs/feeds.md). Each valid line is one ledger transaction (the bank receives
the money; the credit is paid through the servicing engine in the documented order), keyed by channel and the
bank's folio, so a replayed file posts nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from micuenta.core.money import money
from micuenta.credits.allocation import PaymentIn
from micuenta.credits.errors import BankLineCode
from micuenta.credits.models import Credit, CreditPayment, Denomination, PaymentSource
from micuenta.credits.payment_channels import DIRECT_CHANNELS, FUND_REFERENCE, STORE_MINIMUM
from micuenta.credits.rules import MISSING_FACTOR_REASON, missing_vsm_factor, unit_factors
from micuenta.credits.selectors import credit_debt
from micuenta.credits.services.locks import credits_lock_by_numero
from micuenta.credits.services.payments import credit_payments_apply
from micuenta.credits.status import PAYABLE
from micuenta.feeds import fields
from micuenta.feeds.fields import LineError
from micuenta.feeds.models import FeedKind, ImportRun
from micuenta.feeds.runner import ChunkResult, FeedProcessorBase, RawLine

COLUMNS = ("fecha_pago", "importe", "referencia", "concepto", "canal", "folio")
CREDITO_RE = re.compile(r"[0-9]{10}")
FOLIO_RE = re.compile(r"[A-Za-z0-9-]{1,40}")


@dataclass(frozen=True)
class DirectPayment:
    line: RawLine
    paid_on: date
    amount: Decimal
    numero_credito: str
    channel: str
    folio: str

    @property
    def key(self) -> str:
        return f"banco:{self.channel}:{self.folio}"

    @property
    def signature(self) -> tuple[object, ...]:
        return (self.paid_on, money(self.amount), self.numero_credito)


def parse_direct_payment(line: RawLine, *, today: date) -> DirectPayment:
    f = line.fields
    paid_on = fields.day(f["fecha_pago"], "fecha_pago", today=today)
    amount = fields.amount(f["importe"], "importe", positive=True)
    if f["referencia"] != FUND_REFERENCE:
        raise LineError(
            BankLineCode.REFERENCE_INVALID,
            f"La referencia de un pago a crédito es {FUND_REFERENCE}; esta línea trae «{f['referencia'][:20]}». "
            "Aclara con el banco a qué cuenta corresponde el depósito.",
        )
    numero = f["concepto"]
    if not CREDITO_RE.fullmatch(numero):
        raise LineError(
            BankLineCode.CONCEPT_INVALID,
            "El concepto debe ser el número de crédito de 10 dígitos; aclara el depósito con el banco.",
        )
    channel = DIRECT_CHANNELS.get(f["canal"].lower())
    if channel is None:
        raise LineError(BankLineCode.CHANNEL_INVALID, "El canal debe ser ventanilla, spei o tienda.")
    if channel == "tienda" and amount < STORE_MINIMUM:
        raise LineError(
            BankLineCode.BELOW_STORE_MINIMUM,
            f"Un pago en establecimiento es de al menos {STORE_MINIMUM} pesos; aclara el pago con la cadena.",
        )
    folio = f["folio"]
    if not FOLIO_RE.fullmatch(folio):
        raise LineError(
            BankLineCode.FOLIO_INVALID, "El folio del banco debe tener de 1 a 40 letras, números o guiones."
        )
    return DirectPayment(line, paid_on, amount, numero, channel, folio)


class BankPaymentsProcessor(FeedProcessorBase):
    kind = FeedKind.BANK_PAYMENTS
    required_columns: tuple[str, ...] = COLUMNS

    def process_chunk(self, run: ImportRun, lines: Sequence[RawLine]) -> ChunkResult:
        result = ChunkResult()
        parsed: list[DirectPayment] = []
        for line in lines:
            try:
                parsed.append(parse_direct_payment(line, today=self.today))
            except LineError as error:
                result.reject(line, error.code, error.reason)
        # Under the credits' locks (the chunk's transaction keeps them): whether a credit takes payments is decided
        # on the credit as the payment service will find it.
        credits = {
            numero: (ref.pk, ref.status, ref.denomination, ref.origination_date)
            for numero, ref in credits_lock_by_numero({p.numero_credito for p in parsed}).items()
        }
        factors = unit_factors() if any(c[2] == Denomination.VSM for c in credits.values()) else {}
        stored = {
            key: (paid_on, amount, numero)
            for key, paid_on, amount, numero in CreditPayment.objects.filter(
                key__in=[p.key for p in parsed]
            ).values_list("key", "paid_on", "amount", "credit__numero_credito")
        }
        payoffs: dict[int, Decimal] = {}
        seen: dict[str, DirectPayment] = {}
        fresh: list[tuple[DirectPayment, int]] = []
        for p in parsed:
            credit = credits.get(p.numero_credito)
            if credit is None:
                result.reject(
                    p.line,
                    BankLineCode.UNKNOWN_CREDIT,
                    "No hay un crédito con ese número: el depósito queda por aclarar con el banco y el acreditado.",
                )
                continue
            earlier = seen.get(p.key)
            if p.key in stored or earlier is not None:
                same = stored.get(p.key) == p.signature if earlier is None else earlier.signature == p.signature
                if same:
                    result.duplicates += 1
                else:
                    result.reject(
                        p.line,
                        BankLineCode.RECORDED_DIFFERENT,
                        "Ya hay un pago con el mismo canal y folio del banco con otra fecha, importe o crédito; "
                        "aclara con el banco cuál es el correcto.",
                    )
                continue
            if credit[1] not in PAYABLE:
                result.reject(
                    p.line,
                    BankLineCode.CREDIT_NOT_CURRENT,
                    "El crédito no está otorgado o fue cancelado: no puede recibir pagos; el depósito se devuelve.",
                )
                continue
            year = missing_vsm_factor(denomination=credit[2], origination=credit[3], day=p.paid_on, factors=factors)
            if year is not None:
                result.reject(p.line, BankLineCode.VSM_FACTOR_MISSING, MISSING_FACTOR_REASON.format(year=year))
                continue
            if p.paid_on < credit[3]:
                result.reject(
                    p.line,
                    BankLineCode.PAID_BEFORE_ORIGINATION,
                    f"La fecha de pago ({p.paid_on:%Y-%m-%d}) es anterior al otorgamiento del crédito "
                    f"({credit[3]:%Y-%m-%d}): revisa la fecha con el banco.",
                )
                continue
            ceiling = self._ceiling(credit[0], payoffs)
            if p.amount > ceiling:
                result.reject(
                    p.line,
                    BankLineCode.AMOUNT_IMPLAUSIBLE,
                    f"El importe es mayor que {settings.MICUENTA_BANK_PAYMENT_MAX_PAYOFF_MULTIPLE} veces el saldo "
                    "para liquidar el crédito: seguramente es un error de captura; aclara el importe con el banco.",
                )
                continue
            seen[p.key] = p
            fresh.append((p, credit[0]))
        if fresh:
            credit_payments_apply(
                actor=self.actor,
                payments=[
                    PaymentIn(credit_id, p.key, money(p.amount), p.paid_on, PaymentSource.DIRECTO, p.channel, p.folio)
                    for p, credit_id in fresh
                ],
            )
            # the workers whose credit the file paid: what follows a feed (an aviso de suspensión at payoff) is theirs
            self.touched_workers.update(
                Credit.objects.filter(pk__in={credit_id for _, credit_id in fresh}).values_list("worker_id", flat=True)
            )
        for p, _ in fresh:
            result.add_total("pagos_credito", money(p.amount))
        result.posted += len(fresh)
        return result

    def _ceiling(self, credit_id: int, payoffs: dict[int, Decimal]) -> Decimal:
        """The largest plausible payment to a credit: a multiple of its saldo para liquidar on the run's day
        (`MICUENTA_BANK_PAYMENT_MAX_PAYOFF_MULTIPLE`), worked out once per credit and chunk, only for credits a
        valid line pays."""
        if credit_id not in payoffs:
            debt = credit_debt(Credit.objects.get(pk=credit_id), today=self.today)
            payoffs[credit_id] = money(debt.payoff * Decimal(settings.MICUENTA_BANK_PAYMENT_MAX_PAYOFF_MULTIPLE))
        return payoffs[credit_id]
