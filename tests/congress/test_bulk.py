import pytest

from congress import bulk
from congress.models import Organisation, Region
from tests import factories

pytestmark = pytest.mark.django_db


def test_copy_insert_fills_defaults_and_timestamps():
    province = factories.province()
    bulk.copy_insert(Organisation, ["name", "kind", "unit_category", "region_id"],
                     [("省教育厅", "handling_unit", "government", province.pk)])  # fmt: skip
    unit = Organisation.objects.get(name="省教育厅")
    assert (unit.is_active, unit.phone) == (True, "")
    assert unit.created_at is not None and unit.updated_at is not None


def test_copy_insert_upserts_on_the_unique_fields():
    province = factories.province()
    bulk.copy_insert(Region, ["code", "name", "level", "parent_id"], [("4401", "广州", "city", province.pk)])
    first = Region.objects.get(code="4401")
    bulk.copy_insert(
        Region,
        ["code", "name", "level", "parent_id"],
        [("4401", "广州市", "city", province.pk), ("4403", "深圳市", "city", province.pk)],
        unique=["code"],
        update=["name"],
    )
    again = Region.objects.get(code="4401")
    assert (again.pk, again.name, again.created_at) == (first.pk, "广州市", first.created_at)
    assert again.updated_at >= first.updated_at
    assert Region.objects.filter(code="4403").exists()


def test_paused_gc_restores_the_collector_even_on_error():
    import gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk.paused_gc():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
