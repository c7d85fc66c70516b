"""Coverage of a training plan as .xlsx: goals, who is missing per goal, attendance per course, hours per deputy."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import selectors


def coverage_workbook(plan) -> bytes:
    book = Workbook(write_only=True)
    goals = selectors.coverage(plan)

    sheet = book.create_sheet(_("Goals"))
    sheet.append([str(plan), f"{plan.start_date.isoformat()} – {plan.end_date.isoformat()}"])
    sheet.append([_("goal"), _("deputies counted"), _("reached"), _("coverage (%)"), _("target (%)"), _("met")])
    for row in goals:
        sheet.append([str(row.goal), row.population, row.met, "" if row.percent is None else float(row.percent),
                      float(row.goal.target_percent), _("yes") if row.reached else _("no")])  # fmt: skip

    missing = book.create_sheet(_("Missing"))
    missing.append([_("goal"), _("deputy"), _("congress"), _("elected on"), _("work unit and title")])
    for row in goals:
        for mandate in selectors.missing_mandates(row.missing_ids).iterator(chunk_size=2000):
            missing.append([str(row.goal), mandate.person.name, mandate.congress.name, mandate.start_date.isoformat(),
                            mandate.person.work_unit])  # fmt: skip

    courses = book.create_sheet(_("Courses"))
    courses.append([_("course"), _("kind"), _("first day"), _("sittings held"), _("confirmed deputies"),
                    _("present"), _("attendance rate (%)")])  # fmt: skip
    for course in selectors.plan_courses(plan):
        courses.append([course.title, str(course.get_kind_display()),
                        course.starts_on.isoformat() if course.starts_on else "", course.held, course.enrolled,
                        course.present, "" if course.rate is None else float(course.rate)])  # fmt: skip

    hours = book.create_sheet(_("Hours"))
    hours.append([_("deputy"), _("credit hours"), _("sittings attended"), _("courses")])
    for row in selectors.hours_per_deputy(plan).iterator(chunk_size=2000):
        hours.append([row["enrolment__mandate__person__name"], float(row["hours"]), row["sittings"], row["courses"]])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
