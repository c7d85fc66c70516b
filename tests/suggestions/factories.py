"""Factories and builders for suggestions: a deputy, a staff member, units with officers, and a suggestion
brought to any state through the real services."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from congress.models import Role, RoleMembership
from suggestions import services
from suggestions.models import Category
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("congress", "name")

    congress = factory.SubFactory(core.CongressFactory)
    name = "教育"


def deputy(congress, **kwargs):
    """An active mandate whose person has a login with the deputy role."""
    user = core.UserFactory()
    RoleMembership.objects.get_or_create(user=user, role=Role.DEPUTY, congress=congress)
    return MandateFactory(congress=congress, person=PersonFactory(user=user, **kwargs))


def unit_with_officer(congress, name=None):
    unit = core.OrganisationFactory(region=congress.region, **({"name": name} if name else {}))
    return unit, core.officer_of(unit)


def pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%signed letter\n", content_type="application/pdf")


CONTENT = "关于加强中小学课后服务的建议：目前课后服务时间不足，建议延长至下午六点并增加经费保障。"


def session_of(term, number=1):
    """A session of the term (motions are made for a session unless the congress takes them between sessions)."""
    return core.SessionFactory._meta.model.objects.get_or_create(
        term=term, number=number,
        defaults={"start_date": term.start_date, "end_date": term.start_date + timedelta(days=5)},
    )[0]  # fmt: skip


def draft(mandate, **fields):
    category = fields.pop("category", None) or CategoryFactory(congress=mandate.congress)
    if fields.get("kind") == "motion":
        fields.setdefault("session", session_of(mandate.term))
    values = {"title": "加强中小学课后服务", "content": CONTENT, "category": category, **fields}
    return services.create_draft(actor=mandate.person.user, mandate_id=mandate.pk, fields=values)


def submitted(mandate, **fields):
    suggestion = draft(mandate, **fields)
    return services.submit(actor=mandate.person.user, suggestion_id=suggestion.pk)


def accepted(mandate, staff, **fields):
    suggestion = submitted(mandate, **fields)
    return services.accept(actor=staff, suggestion_id=suggestion.pk)


def assigned(mandate, staff, lead, co=(), **fields):
    suggestion = accepted(mandate, staff, **fields)
    return services.assign(actor=staff, suggestion_id=suggestion.pk, lead_id=lead.pk, co_ids=[u.pk for u in co])


def reply_to(assignment, officer, result="A", **kwargs):
    assignment.refresh_from_db()
    if assignment.status == "assigned":
        services.confirm_receipt(actor=officer, assignment_id=assignment.pk)
    plan = kwargs.pop("follow_up_plan", "明年列入计划" if result in "BC" else "")
    return services.reply(
        actor=officer, assignment_id=assignment.pk, text=kwargs.pop("text", "经研究，已延长课后服务时间。"),
        result=result, follow_up_plan=plan, letter=pdf(),
    )  # fmt: skip
