"""Every route is public, the person's own, staff-only or person-scoped, and each class is checked."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, path, reverse

from micuenta.core.tests import access
from micuenta.core.tests.access import Route

pytestmark = pytest.mark.django_db

ROUTES = list(access.iter_routes())


def test_every_route_is_in_the_access_matrix():
    missing = access.unclassified(ROUTES)
    assert missing == [], (
        "Routes missing from micuenta/core/tests/access.py (declare them public, own-account, staff or "
        f"person-scoped with a 404 check for another person): {missing}"
    )


def test_the_matrix_names_no_route_that_does_not_exist():
    names = {r.name for r in ROUTES}
    declared = set(access.PUBLIC) | set(access.OWN_ACCOUNT) | set(access.PERSON_SCOPED)
    assert declared - names == set()


def test_an_undeclared_route_is_caught():
    def view(request):  # pragma: no cover - never called
        raise AssertionError

    urlconf = type("urlconf", (), {"urlpatterns": [path("secreto/<int:pk>/", view, name="secreto")]})
    routes = list(access.iter_routes(urlconf))  # type: ignore[arg-type]
    assert access.unclassified(routes) == ["secreto"]


@pytest.mark.parametrize("name", sorted(access.OWN_ACCOUNT))
def test_own_account_pages_need_sign_in_and_show_only_the_persons_own_data(client, person, other_person, name):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("identity:login"))

    client.force_login(person)
    own = client.get(url)
    assert own.status_code == 200
    client.logout()

    client.force_login(other_person)
    theirs = client.get(url).content.decode()
    assert person.first_name not in theirs
    assert person.email not in theirs
    assert other_person.first_name in theirs


def test_every_person_scoped_route_is_404_for_another_person(client, person, other_person):
    checked = []
    for name, build_kwargs in sorted(access.PERSON_SCOPED.items()):
        access.assert_person_scoped(client, name, build_kwargs, owner=person, other=other_person)
        checked.append(name)
    assert checked == sorted(access.PERSON_SCOPED)


@pytest.mark.urls("micuenta.core.tests.access_fixture_urls")
def test_the_person_scoped_check_catches_a_page_that_leaks(client, person, other_person):
    def own_pk(owner):
        return {"pk": owner.pk}

    access.assert_person_scoped(client, "scoped", own_pk, owner=person, other=other_person)
    with pytest.raises(AssertionError, match="another signed-in person got 200"):
        access.assert_person_scoped(client, "leaky", own_pk, owner=person, other=other_person)


def _admin_url(route: Route) -> str:
    if route.name is None:
        return "/admin/ruta-inexistente/"
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    candidates = [{}, {"app_label": labels[0]}, {"app_label": labels[0], "object_id": "1"}]
    candidates += [{"content_type_id": "1", "object_id": "1"}, {"object_id": "1"}, {"id": "1"}, {"url": "x"}]
    for kwargs in candidates:
        try:
            return reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"could not build a URL for {route.name}")


STAFF_ROUTES = [r for r in ROUTES if access.classify(r) == "staff"]


def _staff_url(route: Route) -> str:
    if route.namespace == "backoffice":
        assert route.name is not None, route.pattern
        return reverse(route.name, kwargs=access.BACKOFFICE_KWARGS.get(route.name))
    return _admin_url(route)


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=[r.key for r in STAFF_ROUTES])
def test_staff_routes_send_a_signed_in_non_staff_person_to_the_admin_login(client, person, route):
    client.force_login(person)
    if route.namespace == "backoffice":
        # The CESI back office: its own sign-in, or a refusal (403/404), never the page itself.
        for method in (client.get, client.post):
            response = method(_staff_url(route), follow=True)
            if response.redirect_chain:
                final_url, _ = response.redirect_chain[-1]
                assert final_url.startswith(reverse("backoffice:login")), (route.key, response.redirect_chain)
            else:
                assert response.status_code in (403, 404, 405), (route.key, response.status_code)
        return
    response = client.get(_staff_url(route), follow=True)
    assert response.redirect_chain, route.key
    final_url, _ = response.redirect_chain[-1]
    assert final_url.startswith(reverse("admin:login")), (route.key, response.redirect_chain)
    assert response.status_code == 200


def test_public_routes_answer_anonymous_visitors(client, settings):
    settings.MICUENTA_DEMO = True
    for name in sorted(access.PUBLIC - {"identity:logout", "backoffice:logout"}):
        response = client.get(reverse(name, kwargs=access.PUBLIC_KWARGS.get(name)))
        if name in access.PUBLIC_FLOW_STEPS:
            assert response.status_code == 302, name
            assert response["Location"] == reverse(access.PUBLIC_FLOW_STEPS[name]), name
        else:
            assert response.status_code == access.PUBLIC_ANONYMOUS_STATUS.get(name, 200), name
    assert client.post(reverse("identity:logout")).status_code == 302
    assert client.post(reverse("backoffice:logout")).status_code == 302
