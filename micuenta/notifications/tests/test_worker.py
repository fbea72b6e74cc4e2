"""A queued task runs in the real worker process (manage.py db_worker) against the same database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from micuenta.core.tests.processes import database_url_of_current_connection
from micuenta.notifications.models import Channel, OutboxMessage, Status
from micuenta.notifications.services import notification_send


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_delivers_a_queued_email(tmp_path):
    message = notification_send(
        channel=Channel.EMAIL, to="lucia@ejemplo.test", template="welcome", context={"name": "Lucía"}
    )
    assert DBTaskResult.objects.get().status == "READY"

    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_current_connection(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MICUENTA_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "worker-test-" + "x" * 50,
    }
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr

    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == "sent"
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.to_address == ""
    sent_files = list(mail_dir.iterdir())
    assert len(sent_files) == 1
    content = sent_files[0].read_text()
    assert "To: lucia@ejemplo.test" in content
    assert "Subject: Te damos la bienvenida a Mi Cuenta" in content
    assert OutboxMessage.objects.count() == 1
