"""The virus scan talks to a real clamd-speaking service on this machine: a small fake of ClamAV's daemon."""

from __future__ import annotations

import logging
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import clamd
import pytest
from django.core.exceptions import ImproperlyConfigured

from micuenta.uploads.inspect import UploadCode, UploadRefused
from micuenta.uploads.scan import ScanResult, upload_scan, upload_scan_or_refuse
from micuenta.uploads.tests import files
from micuenta.uploads.tests.files import files_in, receive, upload

EICAR = clamd.EICAR  # the antivirus industry's harmless test string


class FakeClamd(socketserver.StreamRequestHandler):
    """clamd's INSTREAM: a command ("zINSTREAM\\0" or "nINSTREAM\\n"), chunks of 4-byte big-endian length and data,
    a zero length; the answer ends with the command's own terminator. It finds EICAR anywhere in the stream."""

    silent = False
    answer: bytes | None = None

    def handle(self) -> None:
        prefix = self.rfile.read(1)
        terminator = b"\0" if prefix == b"z" else b"\n"
        command = bytearray()
        while (byte := self.rfile.read(1)) not in (terminator, b""):
            command += byte
        if command != b"INSTREAM":
            self.wfile.write(b"UNKNOWN COMMAND" + terminator)
            return
        stream = bytearray()
        while True:
            (length,) = struct.unpack("!L", self.rfile.read(4))
            if length == 0:
                break
            stream += self.rfile.read(length)
        self.server.received.append(bytes(stream))  # type: ignore[attr-defined]
        if self.silent:
            time.sleep(3)
            return
        if self.answer is not None:
            self.wfile.write(self.answer + terminator)
            return
        answer = b"stream: Eicar-Test-Signature FOUND" if EICAR in stream else b"stream: OK"
        self.wfile.write(answer + terminator)


class SilentClamd(FakeClamd):
    silent = True


class FailingClamd(FakeClamd):
    answer = b"stream: Can't allocate memory ERROR"


class FullClamd(FakeClamd):
    answer = b"INSTREAM size limit exceeded. ERROR"


class TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


class UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    block_on_close = False


def serving(server: socketserver.BaseServer) -> Iterator[socketserver.BaseServer]:
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def clamd_tcp(settings) -> Iterator[socketserver.BaseServer]:
    server = TcpServer(("127.0.0.1", 0), FakeClamd)
    settings.MICUENTA_CLAMD = f"tcp://127.0.0.1:{server.server_address[1]}"
    yield from serving(server)


@pytest.fixture
def clamd_unix(settings, tmp_path: Path) -> Iterator[socketserver.BaseServer]:
    path = tmp_path / "clamd.ctl"
    server = UnixServer(str(path), FakeClamd)
    settings.MICUENTA_CLAMD = f"unix://{path}"
    yield from serving(server)


def test_without_a_daemon_configured_a_file_is_not_scanned(settings):
    settings.MICUENTA_CLAMD = ""
    assert upload_scan(EICAR) is ScanResult.SIN_ANALISIS
    assert upload_scan_or_refuse(b"%PDF-1.7") is ScanResult.SIN_ANALISIS


@pytest.mark.parametrize("daemon", ["clamd_tcp", "clamd_unix"])
def test_the_daemon_says_clean_or_infected(request, daemon):
    server = request.getfixturevalue(daemon)
    content = files.good_pdf()

    assert upload_scan(content) is ScanResult.LIMPIO
    assert upload_scan(b"%PDF-1.7\n%" + EICAR) is ScanResult.INFECTADO
    assert server.received[0] == content  # the whole file went through, in chunks


def test_an_infected_file_is_refused_and_not_stored(clamd_tcp, private_dir, caplog):
    assert upload_scan_or_refuse(files.good_pdf()) is ScanResult.LIMPIO

    with pytest.raises(UploadRefused) as refused, caplog.at_level(logging.WARNING, "micuenta.uploads.scan"):
        receive(upload("acta.pdf", files.pdf_with_eicar(EICAR)))

    assert refused.value.code is UploadCode.INFECTED
    assert "virus" in refused.value.message
    assert files_in(private_dir) == []
    assert "signature=Eicar-Test-Signature" in caplog.text


def test_a_clean_file_is_stored_after_the_scan(clamd_tcp, private_dir):
    receive(upload("acta.pdf", files.good_pdf()))
    assert len(files_in(private_dir)) == 1
    assert len(clamd_tcp.received) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_daemon_that_does_not_answer_leaves_the_file_unscanned_with_a_warning(settings, caplog):
    settings.MICUENTA_CLAMD = f"tcp://127.0.0.1:{free_port()}"
    content = b"%PDF-1.7 Ana Torres, NSS 12345678901"

    with caplog.at_level(logging.WARNING, "micuenta.uploads.scan"):
        assert upload_scan(content) is ScanResult.SIN_ANALISIS

    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "virus scan unavailable error=ConnectionError: file kept unscanned"


def test_a_missing_unix_socket_leaves_the_file_unscanned(settings, tmp_path):
    settings.MICUENTA_CLAMD = f"unix://{tmp_path / 'no-existe.ctl'}"
    assert upload_scan(b"%PDF-1.7") is ScanResult.SIN_ANALISIS


def test_a_daemon_that_hangs_is_given_up_after_the_timeout(settings, caplog):
    server = TcpServer(("127.0.0.1", 0), SilentClamd)
    settings.MICUENTA_CLAMD = f"tcp://127.0.0.1:{server.server_address[1]}"
    settings.MICUENTA_CLAMD_TIMEOUT_SECONDS = 1
    for _ in serving(server):
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, "micuenta.uploads.scan"):
            assert upload_scan(b"%PDF-1.7") is ScanResult.SIN_ANALISIS
        assert time.monotonic() - started < 2.5
    assert "virus scan unavailable" in caplog.text


@pytest.mark.parametrize("handler", [FailingClamd, FullClamd], ids=["error", "size-limit"])
def test_a_daemon_that_answers_with_an_error_leaves_the_file_unscanned(settings, caplog, handler):
    server = TcpServer(("127.0.0.1", 0), handler)
    settings.MICUENTA_CLAMD = f"tcp://127.0.0.1:{server.server_address[1]}"
    for _ in serving(server):
        with caplog.at_level(logging.WARNING, "micuenta.uploads.scan"):
            assert upload_scan(b"%PDF-1.7") is ScanResult.SIN_ANALISIS
    assert "virus scan unavailable" in caplog.text


@pytest.mark.parametrize("address", ["clamd:3310", "tcp://127.0.0.1", "unix://"])
def test_an_address_that_is_not_a_socket_is_a_configuration_error(settings, address):
    settings.MICUENTA_CLAMD = address
    with pytest.raises(ImproperlyConfigured, match="MICUENTA_CLAMD must be"):
        upload_scan(b"%PDF-1.7")
