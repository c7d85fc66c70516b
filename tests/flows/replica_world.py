"""The rows tests/flows/test_replica.py needs, written into its private primary by a process of their own (the test
process's database is the shared test database): run as `python -m tests.flows.replica_world` with DATABASE_URL set,
it prints what the test signs in with, as JSON."""

import json

import django


def seed() -> dict:
    from django.contrib.auth.models import Permission
    from django.test import Client

    from congress import services
    from tests import factories as core
    from tests.deputies.factories import current_term
    from tests.suggestions import factories as f

    congress = core.CongressFactory()
    current_term(congress)
    mandate = f.deputy(congress, name="复本甲")
    f.submitted(mandate, category=f.CategoryFactory(congress=congress, name="复本教育"))
    staff, permitted = core.staff_of(congress), core.staff_of(congress)
    permitted.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    _, token = services.create_api_client(
        actor=None, name="replica sync", congress=congress, scopes=["deputies:read"], owner=core.UserFactory()
    )

    def session_of(user) -> str:
        browser = Client()
        browser.force_login(user)
        return browser.cookies["sessionid"].value

    return {
        "staff": session_of(staff),
        "permitted": session_of(permitted),
        "token": token,
        "person": mandate.person_id,
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(seed()))
