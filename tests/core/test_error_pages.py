"""Error pages say what happened and what to do; the API answers JSON (GOV.UK error page patterns)."""

from __future__ import annotations

import json

from django.conf import settings
from django.middleware.csrf import _get_failure_view
from django.test import Client, RequestFactory
from django.urls import get_resolver

from safecare.core import views
from tests.conftest import sign_in

DASH = "\u2013"  # the en dash between a page's title and the service's name


def test_a_page_that_does_not_exist_says_page_not_found(world) -> None:
    response = sign_in(Client(), world.carol).get(f"/households/{world.household_other.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<title>Page not found {DASH} Safecare</title>" in page
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "If you typed the web address, check it is correct." in page


def test_the_api_answers_not_found_in_json(world) -> None:
    response = sign_in(Client(), world.sam).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_error_handlers_are_the_services_own() -> None:
    resolver = get_resolver()
    assert resolver.resolve_error_handler(403) is views.forbidden
    assert resolver.resolve_error_handler(404) is views.not_found
    assert resolver.resolve_error_handler(500) is views.server_error
    assert settings.CSRF_FAILURE_VIEW == "safecare.core.views.csrf_failure"
    assert _get_failure_view() is views.csrf_failure


def test_a_forbidden_page_says_you_cannot_see_it_and_what_to_do(world) -> None:
    request = RequestFactory().get("/service/settings/")
    request.user = world.carol
    response = views.forbidden(request)
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<title>You cannot see this page {DASH} Safecare</title>" in page
    assert '<h1 class="govuk-heading-l">You cannot see this page</h1>' in page
    assert "ask your manager or your service administrator" in page
    assert '<a class="govuk-link" href="/">Go to your home page</a>' in page


def test_a_forbidden_api_call_answers_json() -> None:
    response = views.forbidden(RequestFactory().get("/api/v1/households/"))
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "You do not have permission to perform this action."}


def test_the_problem_page_needs_no_context_and_no_database() -> None:
    # No database for this test: a query would raise, as it does when the database is down.
    response = views.server_error(RequestFactory().get("/households/1/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert f"<title>Sorry, there is a problem with the service {DASH} Safecare</title>" in page
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in page
    assert "Try again later." in page
    assert "If you were sending a form, it may not have been saved." in page
    assert "Sign out" not in page  # nobody's details: the page knows nothing of the request


def test_a_problem_in_the_api_answers_json() -> None:
    response = views.server_error(RequestFactory().get("/api/v1/households/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "There is a problem with the service. Try again later."}


def test_a_view_that_breaks_shows_the_problem_page(world, settings) -> None:
    settings.ROOT_URLCONF = "tests.core.urls_broken"
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def _form_page_token(client: Client, path: str) -> str:
    import re

    page = client.get(path).content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "the form page has a CSRF token"
    return match.group(1)


def test_a_form_sent_after_signing_in_again_elsewhere_explains_and_says_how_to_send_it_again(world) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), world.carol)
    own = world.household_own.pk
    path = f"/households/{own}/notices/change/"
    old_token = _form_page_token(client, path)
    # Signing in again (another tab) gives the browser a new CSRF secret.
    client.cookies.pop(settings.CSRF_COOKIE_NAME)
    _form_page_token(client, path)
    response = client.post(path, {"csrfmiddlewaretoken": old_token, "details": "A new dog"})
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<title>This page had expired {DASH} Safecare</title>" in page
    assert '<h1 class="govuk-heading-l">This page had expired</h1>' in page
    assert "For your security, what you sent has not been saved." in page
    assert (
        "Use your browser\u2019s back button to go back to the form. What you typed will still be there."
        in page
    )
    assert "Check your answers: a date may need typing again." in page
    assert "Send the form again." in page
    assert "CSRF" not in page


def test_a_csrf_failure_under_the_api_answers_json() -> None:
    response = views.csrf_failure(RequestFactory().post("/api/v1/households/"), reason="CSRF token missing.")
    assert response.status_code == 403
    assert json.loads(response.content) == {
        "detail": "CSRF check failed: sign in again, or send an API token instead of a session."
    }
