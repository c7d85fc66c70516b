"""The console's lists over the demo data read as Chinese: every changelist (and the home page) the administrator
opens, with the demo's full variety of records, shows none of tests/flows/test_words_on_pages.py's words."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.visible import visible_text

from .permission_matrix import CONSOLE, THIRD_PARTY
from .test_words_on_pages import UNTRANSLATED

# Third-party pages no staff member is given (the matrix's THIRD_PARTY rows: auditlog's raw entries, the
# scheduler's crontabs): only a superuser opens them, and their words are the packages' own.
SUPERUSER_ONLY = {label for label, console in CONSOLE.items() if console.note == THIRD_PARTY}

pytestmark = pytest.mark.django_db


def _request(client):
    from django.test import RequestFactory

    from congress.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


def test_console_pages_over_the_demo_data_show_no_untranslated_words(client):
    # One demo seed for all the lists: seeding takes seconds and the lists only read it.
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    found = {}
    urls = [reverse("home"), reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.label_lower not in SUPERUSER_ONLY
    ]
    # And one record's page of each list (the newest, which the demo fills most).
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in SUPERUSER_ONLY:
            continue
        record = model_admin.get_queryset(_request(client)).order_by("-pk").first()
        if record is not None:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]))
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = visible_text(response.content.decode())
        words = sorted({match.group(0) for match in UNTRANSLATED.finditer(text)})
        if words:
            match = UNTRANSLATED.search(text)
            found[url] = (words, text[max(0, match.start() - 60) : match.end() + 40])
    assert found == {}
