from datetime import date

import factory

from deputies import idnumbers
from deputies.models import Delegation, DeputyGroup, GroupMembership, Mandate, Person
from tests import factories as core


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = "M"
    ethnic_group_id = "01"
    birth_date = date(1980, 5, 17)
    id_number = factory.LazyAttributeSequence(
        lambda o, n: idnumbers.make("440106", o.birth_date, 2 * n + (1 if o.gender == "M" else 0))
    )
    party_id = "01"
    education = "undergraduate"
    occupation = "professional"
    work_unit = "广州市第一中学教师"
    phone = "13912345678"


def current_term(congress):
    return congress.terms.order_by("-number").first() or core.TermFactory(
        congress=congress, number=14, start_date=date(2023, 1, 12), end_date=date(2028, 1, 11)
    )


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    congress = factory.SubFactory(core.CongressFactory)
    term = factory.LazyAttribute(lambda o: current_term(o.congress))
    start_date = factory.LazyAttribute(lambda o: o.term.start_date)


def group(congress, name="第一代表小组", **fields):
    """A deputy group of the congress's current term (regional unless `kind` says otherwise)."""
    return DeputyGroup.objects.create(congress=congress, term=current_term(congress), name=name, **fields)


def join(group, mandate, role="member"):
    return GroupMembership.objects.create(group=group, mandate=mandate, role=role)


def delegation(congress, name="广州代表团"):
    return Delegation.objects.get_or_create(congress=congress, term=current_term(congress), name=name)[0]
