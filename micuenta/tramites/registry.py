"""The kinds of trámite: each declares, in its own module under `micuenta.tramites.kinds`, its folio prefix, its
state machine (states, allowed transitions and who may make each), whether its approval needs a second member of
staff (four eyes), the papers it asks for and what approving it does (docs/tramites.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from micuenta.core.actors import ROLE_PERSON, ROLE_SYSTEM
from micuenta.core.audit import AuditAction
from micuenta.core.transitions import StateMachine, Transition
from micuenta.tramites.models import Case, Status

if TYPE_CHECKING:
    from micuenta.core.actors import Actor

# The roles of the back office of trámites (groups "Analista de trámites", "Supervisor de trámites"), passed in
# the actor by the views that checked the permission.
ROLE_ANALYST = "tramites_analista"
ROLE_SUPERVISOR = "tramites_supervisor"
STAFF_ROLES = frozenset({ROLE_ANALYST, ROLE_SUPERVISOR})
__all__ = ["ROLE_ANALYST", "ROLE_PERSON", "ROLE_SUPERVISOR", "ROLE_SYSTEM", "Requirement", "TramiteKind", "kind_get"]


class TramiteAction(AuditAction):
    STATUS_CHANGED = "tramite.estado"
    FILED = "tramite.presentado"
    DOCUMENT_DOWNLOADED = "tramite.documento_descargado"


@dataclass(frozen=True)
class Requirement:
    """A paper the trámite asks for: its code, what it is, and what counts."""

    code: str
    label: str
    help: str = ""


@dataclass(frozen=True)
class TramiteKind:
    code: str  # stored in Case.kind, and the key of its SlaRule rows
    prefix: str  # of its folios: COR-2026-000123
    name: str  # "Corregir mis datos"
    summary: str  # what it is for, on the list of trámites one can start
    start_url: str  # the URL name of its first page
    transitions: Sequence[Transition]
    four_eyes: bool  # an approval waits for a second member of staff to confirm it
    requirements: Callable[[Case], Sequence[Requirement]]
    # One line for lists: "Corregir tu CURP" to the person, "Corrección de CURP" to staff (for_staff=True).
    describe: Callable[..., str]
    apply: Callable[[Actor, Case], None] | None = None  # what approving does, in the approval's transaction
    # Label and value rows for the case's pages, worded for the person or (for_staff=True) for staff.
    details: Callable[..., list[tuple[str, str]]] = field(default=lambda case, for_staff=False: [])
    machine: StateMachine[Case] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "machine",
            StateMachine(
                model=Case,
                field="status",
                action=TramiteAction.STATUS_CHANGED,
                transitions=self.transitions,
                labels={s.value: str(s.label) for s in Status},
                worker_field="worker_id",
            ),
        )


KINDS: dict[str, TramiteKind] = {}


def register(kind: TramiteKind) -> TramiteKind:
    if kind.code in KINDS or any(k.prefix == kind.prefix for k in KINDS.values()):
        raise ValueError(f"trámite {kind.code} or prefix {kind.prefix} registered twice")
    KINDS[kind.code] = kind
    return kind


def kind_get(code: str) -> TramiteKind:
    return KINDS[code]


def kinds_all() -> list[TramiteKind]:
    return sorted(KINDS.values(), key=lambda kind: kind.name)


def transition_name(kind: TramiteKind, current: str, target: str) -> str:
    found = kind.machine.find(current, target)
    return found.name if found is not None else ""
