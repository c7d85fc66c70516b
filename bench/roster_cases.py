"""Benchmark cases of the roster (issue: deputy roster)."""

import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import date

from django.conf import settings
from openpyxl import Workbook, load_workbook

from congress.models import Congress, Region, Role, RoleMembership, Term, User
from deputies import idnumbers, importer, services
from deputies.models import Delegation, ImportJob, Mandate, Person

from .harness import Result, count_queries, median_ms, p50_p95_ms, scaled, signed_in


def _congress():
    country = Region.objects.get(code="")
    province, _ = Region.objects.get_or_create(
        code="62", defaults={"name": "甘肃省", "level": "province", "parent": country}
    )
    congress, _ = Congress.objects.get_or_create(region=province, defaults={"name": "甘肃省人民代表大会"})
    term, _ = Term.objects.get_or_create(
        congress=congress, number=14, defaults={"start_date": date(2023, 1, 12), "end_date": date(2028, 1, 11)}
    )
    for name in ("兰州代表团", "天水代表团", "酒泉代表团"):
        Delegation.objects.get_or_create(congress=congress, term=term, name=name)
    user, _ = User.objects.get_or_create(username="bench_staff", defaults={"is_staff": True})
    RoleMembership.objects.get_or_create(user=user, role=Role.STAFF, congress=congress)
    return congress, term, user


def _write_file(path, rows: int) -> None:
    rng = random.Random(7)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("代表名册")
    sheet.append(importer.HEADERS)
    for index in range(rows):
        born = date(1955 + index % 40, 1 + index % 12, 1 + index % 28)
        female = index % 3 == 0
        prefix = f"62{index // 1000 % 100:02d}{index % 100:02d}"
        sequence = (index // 10000) * 2 + (0 if female else 1)
        sheet.append([
            f"代表{index}", "女" if female else "男", "汉族" if index % 9 else "回族", born.isoformat(),
            idnumbers.make(prefix, born, sequence), "中国共产党党员", "大学本科", "专业技术人员", "兰州市某单位职员",
            "教育、法律", "教育", "是" if index % 2 else "否", "否", f"139{rng.randint(10000000, 99999999)}",
            "甘肃省兰州市城关区", "省级", "甘肃省人民代表大会", 14, "", ("兰州代表团", "天水代表团", "酒泉代表团")[index % 3],
            "", "2023-01-12",
        ])  # fmt: skip
    book.save(path)


def roster_import() -> Result:
    """A roster .xlsx checked, confirmed and applied, against openpyxl alone reading the same file."""
    rows = scaled(full=100_000, small=10_000, tiny=100)
    congress, term, user = _congress()
    # The job's file must lie under MEDIA_ROOT (storage refuses other paths), which a fresh VAR_DIR lacks.
    os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
    folder = tempfile.mkdtemp(dir=settings.MEDIA_ROOT)
    path = os.path.join(folder, f"roster-{rows}.xlsx")
    _write_file(path, rows)

    def read_only():
        book = load_workbook(path, read_only=True, data_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()

    def clear():
        from auditlog.context import disable_auditlog

        with disable_auditlog():  # bench cleanup, not a staff action
            Mandate.objects.filter(congress=congress).delete()
            Person.objects.filter(mandates__isnull=True).delete()
        from django.db import connection

        with connection.cursor() as cursor:  # as autovacuum would between real imports
            cursor.execute("VACUUM ANALYZE deputies_person, deputies_mandate, deputies_person_tags")

    def import_once():
        job = ImportJob.objects.create(original_name="bench.xlsx", created_by=user)
        job.file.name = path
        job.save()
        assert services.run_check(job.pk) == "checked"
        job.refresh_from_db()
        assert job.error_count == 0, list(job.issues.values_list("row", "column", "message")[:5])
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING)
        assert services.run_apply(job.pk) == "applied"

    reference_samples, app_samples = [], []
    for _ in range(scaled(full=3, small=3, tiny=1)):
        start = time.perf_counter()
        read_only()
        reference_samples.append((time.perf_counter() - start) * 1000)
        clear()
        start = time.perf_counter()
        import_once()
        app_samples.append((time.perf_counter() - start) * 1000)
    reimport_start = time.perf_counter()
    import_once()
    reimport_ms = (time.perf_counter() - reimport_start) * 1000
    app_ms, ref_ms = statistics.median(app_samples), statistics.median(reference_samples)
    clear()
    shutil.rmtree(folder, ignore_errors=True)
    return Result(
        name=f"roster import {rows // 1000}k",
        app="deputies",
        size=rows,
        figure_ms=app_ms,
        reference="openpyxl read-only pass over the same file",
        reference_ms=ref_ms,
        ratio=app_ms / ref_ms,
        queries=0,
        target_max=2.0,
        notes={"reimport_ms": round(reimport_ms), "passes_over_file": 2},
    )


def roster(size: int):
    """The Gansu congress with `size` deputies (added only when missing); returns (congress, term, staff)."""
    from django.db import connection

    congress, term, user = _congress()
    have = Mandate.objects.filter(congress=congress).count()
    if have < size:
        batch, persons = [], []
        for index in range(have, size):
            born = date(1955 + index % 40, 1 + index % 12, 1 + index % 28)
            female = index % 3 == 0
            persons.append(Person(
                name=f"名册{index}", gender="F" if female else "M", ethnic_group_id="01" if index % 9 else "03",
                birth_date=born, id_number=idnumbers.make(f"6299{index % 100:02d}", born, 500 + index // 100 * 2 % 400
                                                          + (0 if female else 1)),
                party_id="01", education="undergraduate", occupation=("worker_farmer", "professional", "cadre")[index % 3],
                work_unit="兰州市某单位", grassroots=index % 2 == 0,
            ))  # fmt: skip
        Person.objects.bulk_create(persons, batch_size=5000, ignore_conflicts=True)
        created = Person.objects.filter(name__startswith="名册", mandates__isnull=True)
        for person in created.iterator(chunk_size=5000):
            batch.append(Mandate(person=person, congress=congress, term=term, level=congress.level,
                                 start_date=term.start_date))  # fmt: skip
        Mandate.objects.bulk_create(batch, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    return congress, term, user


def directory_api() -> Result:
    """The deputies API list under combined directory filters, against the raw SQL for the same page."""
    from django.db import connection

    # One row in six matches the filters; page 2 needs more than 50 of them.
    size = scaled(full=100_000, small=10_000, tiny=700)
    _, _, user = roster(size)
    client = signed_in(user)
    url = "/api/v1/deputies/?gender=F&occupation=worker_farmer&grassroots=true&page_size=50&page=2"

    def app():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]

    sql = (
        "SELECT p.* FROM deputies_person p WHERE p.id IN (SELECT m.person_id FROM deputies_mandate m "
        "JOIN congress_congress c ON c.id = m.congress_id JOIN congress_region r ON r.id = c.region_id "
        "JOIN deputies_person q ON q.id = m.person_id WHERE r.code LIKE %s AND q.gender = 'F' "
        "AND q.occupation = 'worker_farmer' AND q.grassroots) ORDER BY p.id LIMIT 50 OFFSET 50"
    )

    def reference():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM (" + sql.split(" ORDER BY")[0] + ") x", ["62%"])
            cursor.execute(sql, ["62%"])
            cursor.fetchall()

    app_ms, p95 = p50_p95_ms(app)
    return Result(
        name="deputies directory api (combined filters)",
        app="deputies",
        size=size,
        figure_ms=app_ms,
        reference="raw SQL count + page of the same rows",
        reference_ms=median_ms(reference),
        ratio=app_ms / median_ms(reference),
        queries=count_queries(lambda: client.get(url)),
        target_max=3.0,
        notes={"p95_ms": round(p95, 2)},
    )


def directory_page() -> Result:
    """The directory page (HTML, with composition counts) under the same combined filters, p50 and p95."""
    result = directory_api()  # makes sure the data set exists
    congress, term, user = _congress()
    client = signed_in(user)
    url = "/deputies/directory/?gender=F&occupation=worker_farmer&grassroots=true&page=2"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    figure, p95 = p50_p95_ms(page)
    return Result(
        name="deputies directory page (combined filters)",
        app="deputies",
        size=result.size,
        figure_ms=figure,
        reference="raw SQL count + page of the same persons (as the API case)",
        reference_ms=result.reference_ms,
        ratio=figure / result.reference_ms,
        queries=count_queries(lambda: client.get(url)),
        target_max=3.0,
        notes={"p95_ms": round(p95, 2), "includes": "composition counts"},
    )


CASES = [roster_import, directory_api, directory_page]
