"""Factories for the core; app factories build on these."""

from datetime import date

import factory

from congress.models import Congress, Organisation, Region, Role, RoleMembership, Session, Term, User


def country():
    return Region.objects.get(code="")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "44"
    name = "广东省"
    level = "province"
    parent = factory.LazyFunction(country)


def province(code="44", name="广东省"):
    return RegionFactory(code=code, name=name, level="province", parent=country())


def city(code="4401", name="广州市"):
    return RegionFactory(code=code, name=name, level="city", parent=province(code[:2]))


def county(code="440106", name="天河区"):
    return RegionFactory(code=code, name=name, level="county", parent=city(code[:4]))


def township(code="440117101", name="温泉镇"):
    return RegionFactory(code=code, name=name, level="township", parent=county(code[:6], f"县{code[:6]}"))


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress
        django_get_or_create = ("region",)

    region = factory.LazyFunction(province)
    name = factory.LazyAttribute(lambda o: f"{o.region.name}人民代表大会")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    congress = factory.SubFactory(CongressFactory)
    number = 14
    start_date = date(2023, 1, 12)
    end_date = date(2028, 1, 11)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    number = 1
    start_date = date(2023, 1, 12)
    end_date = date(2023, 1, 17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"承办单位{n}")
    kind = "handling_unit"
    unit_category = "government"
    region = factory.LazyFunction(province)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "Passw0rd!x")
        if create:
            obj.save(update_fields=["password"])


def staff_of(congress, **kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    RoleMembership.objects.create(user=user, role=Role.STAFF, congress=congress)
    return user


def supervisor_of(congress, **kwargs):
    user = UserFactory(**kwargs)
    RoleMembership.objects.create(user=user, role=Role.SUPERVISOR, congress=congress)
    return user


def officer_of(unit, **kwargs):
    user = UserFactory(**kwargs)
    RoleMembership.objects.create(user=user, role=Role.UNIT_OFFICER, organisation=unit)
    return user


def deputy_of(congress, **kwargs):
    user = UserFactory(**kwargs)
    RoleMembership.objects.create(user=user, role=Role.DEPUTY, congress=congress)
    return user
