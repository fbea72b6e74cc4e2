"""The IMSS employment movements file: altas, bajas, salary changes and reingresos (docs/feeds.md).

Lines are applied in file order on top of what the database holds: an alta or reingreso opens a relation with the
employer, a modificación changes its daily SBC, a baja closes it. A movement already recorded (same worker,
employer, type and date) is counted as already registered; a movement that does not fit the worker's relations
(a baja without an open relation, an alta while one is open, a date before the alta) is quarantined with the
reason. A registro patronal not yet known creates the employer from razón social and RFC.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from micuenta.core.identifiers import validate_rfc
from micuenta.employment.errors import ImssLineCode
from micuenta.employment.models import Employer, EmploymentMovement, EmploymentRelation, MovementType
from micuenta.employment.relations import RelationState
from micuenta.employment.services import employment_movements_record
from micuenta.feeds import fields
from micuenta.feeds.fields import LineError
from micuenta.feeds.models import FeedKind, ImportRun
from micuenta.feeds.runner import ChunkResult, FeedProcessorBase, RawLine
from micuenta.people.selectors import worker_ids_by_nss

COLUMNS = ("nss", "registro_patronal", "razon_social", "rfc_patron", "tipo_movimiento", "fecha", "sbc")
IMSS_START = date(1943, 1, 19)  # the Ley del Seguro Social took effect: no movement can be older
OPENING = (MovementType.ALTA, MovementType.REINGRESO)


@dataclass(frozen=True)
class Movement:
    line: RawLine
    nss: str
    registro_patronal: str
    razon_social: str
    rfc_patron: str
    kind: MovementType
    effective_on: date
    sbc: Decimal | None

    @property
    def salary(self) -> Decimal:
        if self.sbc is None:  # parse_movement requires it of every movement but a baja
            raise LineError(
                ImssLineCode.SBC_MISSING, "Falta el salario base de cotización diario (sbc) del movimiento."
            )
        return self.sbc


def parse_movement(line: RawLine, *, today: date) -> Movement:
    f = line.fields
    nss = fields.nss(f["nss"])
    nrp = fields.registro_patronal(f["registro_patronal"])
    # "Modificación" and "modificacion" are the same type: letter case and the accent do not matter.
    kind_text = f["tipo_movimiento"].upper().replace("Ó", "O")
    if kind_text not in MovementType.values:
        raise LineError(
            ImssLineCode.KIND_INVALID, "El tipo de movimiento debe ser ALTA, BAJA, MODIFICACION o REINGRESO."
        )
    kind = MovementType(kind_text)
    effective_on = fields.day(f["fecha"], "fecha", today=today)
    if effective_on < IMSS_START:
        raise LineError(
            ImssLineCode.DATE_BEFORE_IMSS, "La fecha es anterior al inicio del Seguro Social (19 de enero de 1943)."
        )
    sbc = None
    if kind != MovementType.BAJA:
        if not f["sbc"]:
            raise LineError(
                ImssLineCode.SBC_MISSING, "Falta el salario base de cotización diario (sbc) del movimiento."
            )
        sbc = fields.amount(f["sbc"], "sbc", positive=True)
    return Movement(line, nss, nrp, f["razon_social"], f["rfc_patron"].upper(), kind, effective_on, sbc)


class EmploymentProcessor(FeedProcessorBase):
    kind = FeedKind.EMPLOYMENT
    required_columns: tuple[str, ...] = COLUMNS

    def process_chunk(self, run: ImportRun, lines: Sequence[RawLine]) -> ChunkResult:
        result = ChunkResult()
        movements: list[Movement] = []
        for line in lines:
            try:
                movements.append(parse_movement(line, today=self.today))
            except LineError as error:
                result.reject(line, error.code, error.reason)
        workers = worker_ids_by_nss(m.nss for m in movements)
        employers = {
            e.registro_patronal: e
            for e in Employer.objects.filter(registro_patronal__in={m.registro_patronal for m in movements})
        }
        relations = self._relations(set(workers.values()), employers)
        new_employers: dict[str, Employer] = {}
        first_alta: dict[int, date] = {}
        for m in movements:
            worker_id = workers.get(m.nss)
            if worker_id is None:
                result.reject(
                    m.line,
                    ImssLineCode.UNKNOWN_WORKER,
                    "El NSS no corresponde a ningún derechohabiente registrado; revísalo con el IMSS.",
                )
                continue
            candidate = None
            if m.registro_patronal not in employers:
                try:
                    candidate = self._new_employer(m)
                except LineError as error:
                    result.reject(m.line, error.code, error.reason)
                    continue
            try:
                if self._apply(m, relations[worker_id]):
                    if candidate is not None:  # an employer is created only by a line that is posted
                        employers[m.registro_patronal] = new_employers[m.registro_patronal] = candidate
                    result.posted += 1
                    self.touched_workers.add(worker_id)
                    if m.kind in OPENING:
                        first_alta[worker_id] = min(first_alta.get(worker_id, m.effective_on), m.effective_on)
                else:
                    result.duplicates += 1
            except LineError as error:
                result.reject(m.line, error.code, error.reason)
        employment_movements_record(
            actor=self.actor,
            new_employers=new_employers,
            employers=employers,
            relations=relations,
            first_alta=first_alta,
        )
        return result

    def _relations(self, worker_ids: set[int], employers: dict[str, Employer]) -> dict[int, list[RelationState]]:
        """The chunk's workers' relations and movements: two queries."""
        by_pk: dict[int, tuple[int, RelationState]] = {}
        rows = EmploymentRelation.objects.filter(worker_id__in=worker_ids).values_list(
            "id", "worker_id", "employer__registro_patronal", "started_on", "ended_on", "sbc"
        )
        for pk, worker_id, nrp, started_on, ended_on, sbc in rows:
            by_pk[pk] = (worker_id, RelationState(nrp, started_on, ended_on, sbc, started_on, pk=pk))
        for relation_id, kind, effective_on, salary in EmploymentMovement.objects.filter(
            relation_id__in=list(by_pk)
        ).values_list("relation_id", "kind", "effective_on", "sbc"):
            relation = by_pk[relation_id][1]
            relation.movements[(kind, effective_on)] = salary
            if salary is not None and effective_on >= relation.sbc_since:
                relation.sbc_since = effective_on
        relations: dict[int, list[RelationState]] = defaultdict(list)
        for worker_id, relation in by_pk.values():
            relations[worker_id].append(relation)
        return relations

    def _new_employer(self, m: Movement) -> Employer:
        if not m.razon_social:
            raise LineError(
                ImssLineCode.EMPLOYER_WITHOUT_NAME,
                "El registro patronal no está en el padrón y la línea no trae razón social para darlo de alta.",
            )
        try:
            rfc = validate_rfc(m.rfc_patron).value
        except ValidationError:
            raise LineError(
                ImssLineCode.EMPLOYER_RFC_INVALID,
                "El registro patronal no está en el padrón y el RFC del patrón no es válido (12 caracteres para "
                "una persona moral, 13 para una física).",
            ) from None
        return Employer(registro_patronal=m.registro_patronal, rfc=rfc, razon_social=m.razon_social[:200])

    def _apply(self, m: Movement, relations: list[RelationState]) -> bool:
        """Apply one movement; False when it is already recorded. Raises LineError when it does not fit."""
        mine = sorted((r for r in relations if r.employer_key == m.registro_patronal), key=lambda r: r.started_on)
        key = (m.kind.value, m.effective_on)
        for recorded in mine:
            if key in recorded.movements:
                if m.kind != MovementType.BAJA and recorded.movements[key] != m.sbc:
                    raise LineError(
                        ImssLineCode.MOVEMENT_DIFFERS,
                        f"Ya está registrado este movimiento del {m.effective_on:%d/%m/%Y} con otro salario "
                        f"({recorded.movements[key]}); aclara con el IMSS cuál es el correcto.",
                    )
                return False
        current = next((r for r in mine if r.ended_on is None), None)
        if m.kind in OPENING:
            if current is not None:
                raise LineError(
                    ImssLineCode.RELATION_OPEN,
                    "El trabajador ya tiene una relación vigente con este patrón desde el "
                    f"{current.started_on:%d/%m/%Y}; falta la baja antes de un nuevo alta o reingreso.",
                )
            if mine and mine[-1].ended_on is not None and m.effective_on <= mine[-1].ended_on:
                raise LineError(
                    ImssLineCode.OVERLAP,
                    f"La fecha no es posterior a la baja del {mine[-1].ended_on:%d/%m/%Y} con este mismo patrón: un "
                    "reingreso empieza al menos un día después; pide al IMSS el movimiento corregido.",
                )
            relation = RelationState(m.registro_patronal, m.effective_on, None, m.salary, m.effective_on, changed=True)
            relation.movements[key] = m.sbc
            relation.new_movements.append((*key, m.sbc))
            relations.append(relation)
            return True
        if current is None:
            raise LineError(
                ImssLineCode.NO_OPEN_RELATION,
                "El trabajador no tiene una relación vigente con este patrón: falta el alta o reingreso antes de "
                + ("esta baja." if m.kind == MovementType.BAJA else "esta modificación de salario."),
            )
        if m.effective_on < current.last_date:
            raise LineError(
                ImssLineCode.DATE_BEFORE_LAST,
                "La fecha es anterior al último movimiento registrado de esta relación "
                f"({current.last_date:%d/%m/%Y}); pide al IMSS el movimiento con la fecha correcta.",
            )
        current.movements[key] = m.sbc
        current.new_movements.append((*key, m.sbc))
        current.changed = True
        if m.kind == MovementType.BAJA:
            current.ended_on = m.effective_on
        else:
            current.sbc, current.sbc_since = m.salary, m.effective_on
        return True
