"""Builders for activities: activities with sittings brought to any state through the real services."""

from datetime import date

from activities import services
from activities.models import Activity, ActivityKind, Sitting
from congress import services as core_services
from tests import factories as core
from tests.training.factories import TZ, at, deputy  # noqa: F401 - the same deputies with logins

__all__ = ["TZ", "activity", "at", "deputy", "expert", "expert_pool", "invite_and_accept", "token"]


def activity(staff, congress, *, sittings=(("2026-06-01 09:00", "2026-06-01 12:00"),), send=True,
             co_congresses=(), **fields):  # fmt: skip
    """An activity with its sittings (local times); its invitations sent unless told otherwise."""
    values = {"title": "乡村振兴专题视察", "theme": "乡村振兴", "kind": ActivityKind.objects.get(pk="inspection"),
              "starts_on": date(2026, 6, 1), "ends_on": date(2026, 6, 2), "places": "临夏州", "capacity": 2,
              **fields}  # fmt: skip
    activity = services.save_activity(
        actor=staff, activity=Activity(congress=congress, **values), co_congresses=list(co_congresses)
    )
    for number, (start, end) in enumerate(sittings, start=1):
        services.save_sitting(
            actor=staff, sitting=Sitting(activity=activity, number=number, starts_at=at(start), ends_at=at(end))
        )
    if send:
        services.send_invitations(actor=staff, activity_id=activity.pk)
    activity.refresh_from_db()
    return activity


def invite_and_accept(staff, activity, mandate):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    return services.accept(actor=mandate.person.user, invitation_id=invitation.pk)


def expert_pool(staff, congress, *, code="law", name="法律专家库"):
    """A pool of the congress's experts, added through the service."""
    from activities import experts
    from activities.models import ExpertPool

    return experts.save_pool(actor=staff, pool=ExpertPool(congress=congress, code=code, name=name))


_phones = iter(range(13900000000, 13999999999))


def expert(staff, congress, *, pools=None, name="张明远", expertise="行政法、环境资源法", phone=None, **fields):
    """An expert of the congress's pools (the legal pool unless told), with a phone of their own."""
    from activities import experts
    from activities.models import Expert, ExpertPool

    if pools is None:
        pools = [ExpertPool.objects.filter(congress=congress, code="law").first() or expert_pool(staff, congress)]
    values = {"title": "教授", "work_unit": "兰州大学法学院", "email": "expert@example.cn", **fields}
    made = Expert(congress=congress, name=name, expertise=expertise, phone=phone or str(next(_phones)), **values)
    return experts.save_expert(actor=staff, expert=made, pool_ids=[p.pk for p in pools])


def token(api_client, congress, *scopes):
    """The API client signed in with a new integration client's token of `congress` holding `scopes`."""
    _, value = core_services.create_api_client(actor=None, name="省平台", congress=congress, scopes=list(scopes),
                                               owner=core.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    return api_client
