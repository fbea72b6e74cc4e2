import pytest
from django.core.management import CommandError, call_command

from micuenta.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from micuenta.identity.models import User
from micuenta.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_demo_data_is_refused_outside_demo_mode(settings):
    settings.MICUENTA_DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_demo_data")
    assert User.objects.count() == 0


def test_loading_demo_data_twice_adds_no_duplicates(settings, capsys):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    assert "3 accounts created, 0 already present" in capsys.readouterr().out
    counts = (User.objects.count(), OutboxMessage.objects.count())
    call_command("load_demo_data")
    assert "0 accounts created, 3 already present" in capsys.readouterr().out
    assert (User.objects.count(), OutboxMessage.objects.count()) == counts == (3, 2)


def test_printed_demo_logins_work(settings, client):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    for account in DEMO_ACCOUNTS:
        assert client.login(username=account.email, password=DEMO_PASSWORD), account.email
        client.logout()


def test_reloading_restores_a_changed_demo_password(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    user = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    user.set_password("otra-cosa-distinta")
    user.is_active = False
    user.save()
    call_command("load_demo_data")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)
    assert user.is_active


def test_only_the_staff_demo_account_can_reach_the_admin(settings):
    settings.MICUENTA_DEMO = True
    call_command("load_demo_data")
    staff = {u.email for u in User.objects.filter(is_staff=True)}
    assert staff == {a.email for a in DEMO_ACCOUNTS if a.is_staff} == {"personal.demo@micuenta.test"}
