"""What the back office's pages show: told-apart masked changes, a destructive action that looks it, no repeated ID
form, no public footer, and the sign-out's words."""

from __future__ import annotations

import pytest
from django.urls import reverse

from micuenta.backoffice.tests.helpers import REASON, act, check_id, find
from micuenta.core.privacy import mask_email_tail
from micuenta.mfa.tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("titular@correo.test", "nueva@correo.test"),
        ("ana.lopez@correo.mx", "ana.lopes@correo.mx"),
        ("juan@gmail.com", "juan.perez@gmail.com"),
        ("maria@correo.mx", "maria@correa.mx"),
    ],
)
def test_masked_old_and_new_addresses_can_be_told_apart_and_never_show_whole(old, new):
    assert mask_email_tail(old) != mask_email_tail(new)
    for address in (old, new):
        masked = mask_email_tail(address)
        local = address.partition("@")[0]
        assert address not in masked and local not in masked
        assert masked[0] == address[0] and "•••" in masked


def test_the_cesi_log_shows_the_change_told_apart(client, supervisor, account):
    sign_in_verified(client, supervisor)
    find(client, account.worker.nss)
    check_id(client)
    act(client, "backoffice:change_contact", {"contacto-email": "nueva@correo.test", "contacto-reason": REASON})
    html = client.get(reverse("backoffice:audit")).content.decode()
    assert "Correo: t•••ar@c•••o.test → n•••a@c•••o.test." in html
    assert "titular@correo.test" not in html and "nueva@correo.test" not in html


def test_the_id_form_is_not_shown_again_once_recorded(client, asesor, account):
    sign_in_verified(client, asesor)
    find(client, account.worker.nss)
    before = client.get(reverse("backoffice:worker")).content.decode()
    assert "Registrar identificación" in before
    check_id(client)
    after = client.get(reverse("backoffice:worker")).content.decode()
    assert "Revisaste:" in after
    assert "Registrar identificación" not in after and reverse("backoffice:id_check") not in after


def test_deleting_the_account_looks_destructive_and_asks_for_confirmation(client, asesor, account):
    sign_in_verified(client, asesor)
    find(client, account.worker.nss)
    check_id(client)
    html = client.get(reverse("backoffice:worker")).content.decode()
    section = html[html.index('aria-labelledby="eliminar"') :]
    section = section[: section.index("</section>")]
    assert 'class="button-danger"' in section and "No se puede deshacer" in section
    assert 'type="checkbox"' in section
    refused = act(client, "backoffice:delete_account", {"baja-reason": REASON})
    assert refused.status_code == 400
    account.refresh_from_db()
    assert account.is_active


def test_no_public_footer_in_the_back_office(client, asesor):
    assert "site-footer" not in client.get(reverse("backoffice:login")).content.decode()
    sign_in_verified(client, asesor)
    assert "site-footer" not in client.get(reverse("backoffice:search")).content.decode()
    assert "site-footer" in client.get(reverse("core:home")).content.decode()


def test_signing_out_of_the_back_office_says_cerraste_sesion(client, asesor):
    sign_in_verified(client, asesor)
    response = client.post(reverse("backoffice:logout"), follow=True)
    assert "Cerraste sesión." in response.content.decode()
