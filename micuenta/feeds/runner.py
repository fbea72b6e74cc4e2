"""Reading a feed file and running it through a processor, chunk by chunk, with its report kept in the database.

The path of every feed (docs/feeds.md): check the whole file is UTF-8 and its header has the required columns
before anything is written; then, for each chunk of lines, validate, post the valid lines and quarantine the
others in one database transaction together with the run's counters. A process killed in the middle leaves the
chunks it finished and nothing of the one it was in; running the file again counts what was posted as already
registered and posts the rest. A line identical to an earlier line of the same file is counted apart, as repeated
in the file, and not processed again. `lines = posted + duplicates + repeated + quarantined` holds after every
chunk.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from micuenta.core.actors import Actor
from micuenta.core.audit import audit_record
from micuenta.core.errors import ApplicationError, ErrorCode
from micuenta.feeds.audit import FeedAction
from micuenta.feeds.errors import FeedCode, LineCode
from micuenta.feeds.hooks import feed_finished_run
from micuenta.feeds.models import FeedKind, ImportRun, QuarantinedLine, RunStatus

DEFAULT_CHUNK_SIZE = 5000
MAX_LINE_CHARS = 10_000  # a line of these feeds is under 300 characters
FIELD_COUNT_REASON = "La línea no tiene el mismo número de campos que el encabezado; revisa las comas y las comillas."
_READ_BLOCK = 1 << 20


class FeedUnreadable(ApplicationError):
    """The file cannot be processed at all (missing, not UTF-8, no header, a required column missing)."""


@dataclass(frozen=True)
class RawLine:
    number: int  # the line's number in the file; the header is line 1
    fields: dict[str, str]
    raw: str
    field_count_ok: bool = True
    problem: str = ""  # why the line could not even be split into fields


@dataclass(frozen=True)
class Rejection:
    line: RawLine
    code: ErrorCode
    reason: str


@dataclass
class ChunkResult:
    posted: int = 0
    duplicates: int = 0  # already registered by an earlier file (or an earlier run of this one)
    repeated: int = 0  # identical to an earlier line of this same file
    rejected: list[Rejection] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)

    def reject(self, line: RawLine, code: ErrorCode, reason: str) -> None:
        self.rejected.append(Rejection(line, code, reason))

    def add_total(self, name: str, amount: Decimal) -> None:
        self.totals[name] = self.totals.get(name, Decimal("0.00")) + amount


class FeedProcessor(Protocol):
    kind: FeedKind
    required_columns: tuple[str, ...]
    actor: Actor  # who runs the file: the command's job, or a member of staff
    touched_workers: set[int]  # the workers whose data the posted lines changed

    def process_chunk(self, run: ImportRun, lines: Sequence[RawLine]) -> ChunkResult:
        """Validate the lines, quarantine the bad ones and post the good ones through the domain's services; runs
        inside the chunk's database transaction."""
        ...


class FeedProcessorBase:
    """What the processors share: who runs the file (set by `feed_run`), the day lines are checked against, the
    workers touched."""

    kind: FeedKind
    required_columns: tuple[str, ...]

    def __init__(self, *, today: date | None = None) -> None:
        self.actor = Actor.system(f"carga:{self.kind}")
        self.today = today or timezone.localdate()
        self.touched_workers: set[int] = set()


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    data_lines: int  # physical lines after the header, an upper bound for the progress bar


def _file_facts(path: Path) -> FileFacts:
    """Hash the file and check it decodes as UTF-8, in one streaming pass (nothing is written before this)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    last = b""
    try:
        with path.open("rb") as handle:
            while block := handle.read(_READ_BLOCK):
                digest.update(block)
                decoder.decode(block)
                newlines += block.count(b"\n")
                last = block[-1:]
            decoder.decode(b"", final=True)
    except FileNotFoundError:
        raise FeedUnreadable(FeedCode.FILE_MISSING, f"No existe el archivo «{path}».") from None
    except IsADirectoryError:
        raise FeedUnreadable(FeedCode.FILE_MISSING, f"«{path}» es una carpeta, no un archivo.") from None
    except PermissionError:
        raise FeedUnreadable(FeedCode.FILE_NOT_READABLE, f"No hay permiso para leer «{path}».") from None
    except UnicodeDecodeError as exc:
        raise FeedUnreadable(
            FeedCode.NOT_UTF8,
            "El archivo no está en UTF-8 (byte no válido cerca de la posición "
            f"{exc.start}). Guárdalo como «CSV UTF-8» y vuelve a enviarlo.",
        ) from None
    lines = newlines + (1 if last not in (b"", b"\n") else 0)
    return FileFacts(sha256=digest.hexdigest(), data_lines=max(0, lines - 1))


def _normalise(name: str) -> str:
    return name.strip().lower()


def _header(reader: Iterator[list[str]], required: Sequence[str]) -> list[str]:
    try:
        header = [_normalise(name) for name in next(reader)]
    except StopIteration:
        raise FeedUnreadable(FeedCode.EMPTY, "El archivo está vacío: debe empezar con la fila de encabezado.") from None
    missing = [name for name in required if name not in header]
    if missing:
        raise FeedUnreadable(
            FeedCode.COLUMNS_MISSING,
            "Al encabezado le faltan las columnas: "
            + ", ".join(missing)
            + ". La primera fila debe nombrar las columnas: "
            + ",".join(required)
            + ".",
            details={"missing": missing},
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise FeedUnreadable(
            FeedCode.COLUMNS_REPEATED,
            "El encabezado repite las columnas: " + ", ".join(repeated) + ". Cada columna debe aparecer una vez.",
        )
    return header


def read_lines(path: Path, required: Sequence[str]) -> Iterator[RawLine]:
    """The file's data lines as dicts keyed by lower-case column name; blank lines are skipped.

    Each physical line is parsed on its own (no field of these feeds holds a line break), so an unclosed quote or
    an oversized field spoils only its own line, which is quarantined, never the lines after it. `utf-8-sig` drops
    a byte-order mark; CRLF and LF line ends are both taken.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = _header(csv.reader(handle), required)
        for number, text in enumerate(handle, start=2):
            text = text.rstrip("\r\n")
            if not text.strip():
                continue
            problem = ""
            row: list[str] = []
            if len(text) > MAX_LINE_CHARS:
                problem = f"La línea tiene más de {MAX_LINE_CHARS:,} caracteres: no es una línea de este archivo."
            else:
                try:
                    row = next(csv.reader([text], strict=True))
                except csv.Error:
                    problem = "La línea tiene comillas sin cerrar o mal puestas; revisa las comillas de sus campos."
            if problem:
                yield RawLine(
                    number=number, fields={}, raw=text[:MAX_LINE_CHARS], field_count_ok=False, problem=problem
                )
                continue
            if all(not value.strip() for value in row):
                continue
            # Values as they come: a space around a number, date or amount is not the format and is quarantined.
            fields = {name: value for name, value in zip(header, row, strict=False) if name}
            yield RawLine(number=number, fields=fields, raw=text, field_count_ok=len(row) == len(header))


def _first_copies(lines: list[RawLine], earlier: set[bytes]) -> tuple[list[RawLine], int]:
    """The lines not identical to an earlier line of the file (same fields, same values), and how many were; the
    digests of the new ones join `earlier`. A 16-byte BLAKE2 digest keeps a file of millions of lines in memory."""
    first: list[RawLine] = []
    repeated = 0
    for line in lines:
        digest = hashlib.blake2b(
            "\x1f".join(f"{name}\x1e{value}" for name, value in sorted(line.fields.items())).encode(), digest_size=16
        ).digest()
        if digest in earlier:
            repeated += 1
        else:
            earlier.add(digest)
            first.append(line)
    return first, repeated


def check_header(path: Path, required: Sequence[str]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        _header(csv.reader(handle), required)


def _chunks(lines: Iterator[RawLine], size: int) -> Iterator[list[RawLine]]:
    chunk: list[RawLine] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _merge_totals(run_totals: dict[str, str], chunk: dict[str, Decimal]) -> dict[str, str]:
    merged = dict(run_totals)
    for name, amount in chunk.items():
        merged[name] = str(Decimal(merged.get(name, "0.00")) + amount)
    return merged


def feed_run(
    *,
    actor: Actor,
    processor: FeedProcessor,
    path: Path,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[FileFacts], None] | None = None,
) -> ImportRun:
    """Process a feed file as `actor`; returns its run. Raises FeedUnreadable (after recording it) when it cannot be
    read."""
    processor.actor = actor  # the processor posts through services as the one who runs the file
    try:
        facts = _file_facts(path)
        check_header(path, processor.required_columns)
    except FeedUnreadable as exc:
        ImportRun.objects.create(
            kind=processor.kind,
            file_name=path.name,
            status=RunStatus.UNREADABLE,
            finished_at=timezone.now(),
            error=exc.message,
        )
        raise
    with _only_run_of_its_kind(processor.kind):
        return _feed_run(
            processor=processor, path=path, facts=facts, chunk_size=chunk_size, progress=progress, on_start=on_start
        )


def feed_lock_key(kind: str) -> int:
    return zlib.crc32(f"micuenta-feed:{kind}".encode())


@contextmanager
def _only_run_of_its_kind(kind: str) -> Iterator[None]:
    """On PostgreSQL, an advisory lock per feed kind: two imports of one feed never interleave their chunks (the
    server drops the lock if the process dies). SQLite's writers take turns at every chunk's transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    key = feed_lock_key(kind)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise FeedUnreadable(
            FeedCode.RUN_IN_PROGRESS,
            "Ya hay otra carga de este mismo archivo en proceso; espera a que termine y vuelve a ejecutar.",
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _feed_run(
    *,
    processor: FeedProcessor,
    path: Path,
    facts: FileFacts,
    chunk_size: int,
    progress: Callable[[int], None] | None,
    on_start: Callable[[FileFacts], None] | None,
) -> ImportRun:
    if on_start is not None:
        on_start(facts)
    run = ImportRun.objects.create(kind=processor.kind, file_name=path.name, file_sha256=facts.sha256)
    earlier_lines: set[bytes] = set()  # digests of the lines of this file read so far
    for chunk in _chunks(read_lines(path, processor.required_columns), chunk_size):
        with transaction.atomic():
            incomplete = [line for line in chunk if not line.field_count_ok]
            complete, repeated = _first_copies([line for line in chunk if line.field_count_ok], earlier_lines)
            result = processor.process_chunk(run, complete)
            result.repeated += repeated
            for line in incomplete:
                result.reject(
                    line,
                    LineCode.LINE_MALFORMED if line.problem else LineCode.FIELDS_INCOMPLETE,
                    line.problem or FIELD_COUNT_REASON,
                )
            accounted = result.posted + result.duplicates + result.repeated + len(result.rejected)
            if accounted != len(chunk):  # every line is posted, already registered or quarantined: never dropped
                raise RuntimeError(f"{accounted} of {len(chunk)} lines accounted for in run {run.pk}")
            QuarantinedLine.objects.bulk_create(
                [
                    QuarantinedLine(
                        run=run, line_number=r.line.number, code=r.code, reason=r.reason[:400], raw=r.line.raw
                    )
                    for r in sorted(result.rejected, key=lambda r: r.line.number)
                ]
            )
            locked = ImportRun.objects.select_for_update().get(pk=run.pk)
            ImportRun.objects.filter(pk=run.pk).update(
                lines=F("lines") + len(chunk),
                posted=F("posted") + result.posted,
                duplicates=F("duplicates") + result.duplicates,
                repeated_in_file=F("repeated_in_file") + result.repeated,
                quarantined=F("quarantined") + len(result.rejected),
                totals=_merge_totals(locked.totals, result.totals),
                updated_at=timezone.now(),
            )
            audit_record(
                actor=processor.actor,
                action=FeedAction.CHUNK_PROCESSED,
                subject=run,
                after={
                    "first_line": chunk[0].number,
                    "last_line": chunk[-1].number,
                    "posted": result.posted,
                    "duplicates": result.duplicates,
                    "repeated_in_file": result.repeated,
                    "quarantined": len(result.rejected),
                    "totals": {name: str(amount) for name, amount in result.totals.items()},
                },
            )
        if progress is not None:
            progress(len(chunk))
    feed_finished_run(run=run, touched_workers=processor.touched_workers)
    ImportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), updated_at=timezone.now()
    )
    run.refresh_from_db()
    return run
