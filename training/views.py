"""Pages of training: the deputy's course list, enrolments, history and check-in; the staff's course desk with
nomination, decisions and the roll of each sitting; coverage of a plan with its .xlsx export.

Each view parses input, calls one service or selector and renders; the rules are in services.py and rules.py."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import abuse, replica, scope, uploads
from congress.errors import DomainError
from congress.models import Role
from congress.params import as_identifier
from congress.web import report, role_required
from deputies.filters import DirectoryFilter
from deputies.selectors import roster

from . import exporter, forms, selectors, services, workflow
from .models import LIVE, Channel, Course, CourseStatus, Enrolment, EnrolmentStatus, Material, Plan, Sitting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


# The deputy


@login_required
def courses(request):
    """Published courses not yet over, each marked with what this deputy may do: sign up, or their place."""
    mandates = selectors.my_mandates(request.user)
    if not mandates:
        raise PermissionDenied
    rows = []
    for course in selectors.courses_for_deputy(request.user, mandates):
        sittings = list(course.sittings.all())
        started = any(s.starts_at <= timezone.now() for s in sittings)
        closed = course.sign_up_until is not None and course.sign_up_until < timezone.localdate()
        course.sign_up_form = (
            forms.SignUpForm(mandates=course.eligible)
            if course.eligible and course.enrolment is None and course.self_enrolment and not started and not closed
            else None
        )
        course.sitting_list = sittings
        rows.append(course)
    return render(request, "training/courses.html", {"courses": rows})


@require_POST
@login_required
def sign_up(request, pk):
    course = get_object_or_404(scope.visible(request.user, Course), pk=pk)
    mandates = selectors.my_mandates(request.user)
    form = forms.SignUpForm(request.POST, mandates=mandates)
    if form.is_valid():
        try:
            enrolment = services.sign_up(
                actor=request.user, course_id=course.pk, mandate_id=form.cleaned_data["mandate"]
            )
        except DomainError as exc:
            report(request, exc)
        else:
            if enrolment.status == EnrolmentStatus.WAITLISTED:
                messages.warning(request, _("The course is full: you are on the waiting list and told when a place "
                                            "is free."))  # fmt: skip
            else:
                messages.success(request, _("Signed up; the office confirms your place."))
            return redirect("training:mine")
    else:
        messages.error(request, _("Choose the mandate you sign up under."))
    return redirect("training:courses")


@login_required
def mine(request):
    """The deputy's enrolments with what they can do, their history with attendance and their hours by year."""
    if getattr(request.user, "person", None) is None:
        raise Http404
    enrolments = list(selectors.my_enrolments(request.user))
    current, history = [], []
    today = timezone.localdate()
    for enrolment in enrolments:
        enrolment.actions = workflow.actions(enrolment, workflow.DEPUTY_ACTIONS)
        if enrolment.attendance.all():
            enrolment.actions = [a for a in enrolment.actions if a != "cancel"]
        enrolment.marks = {a.sitting_id: a for a in enrolment.attendance.all()}
        enrolment.sitting_list = list(enrolment.course.sittings.all())
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            enrolment.position = selectors.waitlist_position(enrolment)
        over = enrolment.course.ends_on is not None and enrolment.course.ends_on < today
        (history if over or enrolment.status not in LIVE else current).append(enrolment)
    context = {"current": current, "history": history, "years": selectors.hours_by_year(request.user),
               "note_form": forms.NoteForm()}  # fmt: skip
    return render(request, "training/mine.html", context)


DEPUTY_MESSAGES = {
    "confirm": gettext_lazy("Place confirmed. See you at the course."),
    "decline": gettext_lazy("Nomination declined; the office is told."),
    "cancel": gettext_lazy("Your place is given up."),
}
STAFF_MESSAGES = {
    "approve": gettext_lazy("Sign-up confirmed; the deputy is told."),
    "refuse": gettext_lazy("Sign-up refused; the deputy is told."),
    "confirm": gettext_lazy("Nomination marked as confirmed; the deputy is told."),
    "decline": gettext_lazy("Nomination marked as declined."),
    "cancel": gettext_lazy("Place cancelled; the deputy is told."),
}


@require_POST
@login_required
def act(request, pk, action):
    """One action on an enrolment by its deputy (confirm, decline, cancel) or by staff (approve, refuse, cancel)."""
    enrolment = get_object_or_404(scope.visible(request.user, Enrolment).select_related("course"), pk=pk)
    staff = scope.can(request.user, "training.manage", enrolment)
    allowed = workflow.STAFF_ACTIONS if staff and request.POST.get("as") == "staff" else workflow.DEPUTY_ACTIONS
    if action not in allowed:
        raise Http404
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    kwargs = {"note": note} if action in ("decline", "refuse", "cancel") else {}
    try:
        getattr(services, action)(actor=request.user, enrolment_id=enrolment.pk, **kwargs)
    except DomainError as exc:
        report(request, exc)
    else:
        messages.success(request, (STAFF_MESSAGES if allowed is workflow.STAFF_ACTIONS else DEPUTY_MESSAGES)[action])
    if allowed is workflow.STAFF_ACTIONS:
        return redirect("training:course", enrolment.course_id)
    return redirect("training:mine")


@login_required
def check_in(request):
    """Type the sitting's code (shown in the room); the service checks the window and the enrolment."""
    form = forms.CheckInForm(request.POST or None)
    if request.method == "POST":
        if abuse.rate_limited(request, "training-check-in"):
            messages.error(request, _("Too many attempts; please try again later."))
            return render(request, "training/check_in.html", {"form": form}, status=429)
        if form.is_valid():
            return _check_in(request, form, form.cleaned_data["code"], Channel.CODE)
    return render(request, "training/check_in.html", {"form": form})


@login_required
def check_in_link(request, code):
    """The QR code's link: shows the sitting and one button (a GET never records anything)."""
    sitting = get_object_or_404(Sitting.objects.select_related("course"), checkin_code=code.upper())
    form = forms.CheckInForm(initial={"code": sitting.checkin_code})
    if request.method == "POST":
        return _check_in(request, form, sitting.checkin_code, Channel.LINK)
    return render(request, "training/check_in.html", {"form": form, "sitting": sitting})


def _check_in(request, form, code, channel):
    try:
        attendance = services.check_in(actor=request.user, code=code, channel=channel)
    except DomainError as exc:
        report(request, exc, form)
        return render(request, "training/check_in.html", {"form": form})
    messages.success(request, _("Checked in: %(sitting)s. %(hours)s credit hours recorded.")
                     % {"sitting": attendance.sitting, "hours": attendance.hours})  # fmt: skip
    return redirect("training:mine")


# One course: details for everyone who may see it; the desk for its staff


def _course_for(request, pk) -> Course:
    course = (
        scope.visible(request.user, Course)
        .select_related("congress__region", "plan", "organiser")
        .prefetch_related("audience_groups", "materials")
        .filter(pk=pk)
        .first()
    )
    if course is None:
        raise Http404
    return course


@login_required
def course(request, pk):
    course = _course_for(request, pk)
    sittings = list(course.sittings.order_by("starts_at"))
    context = {"course": course, "sittings": sittings, "is_staff": scope.can(request.user, "training.manage", course)}
    if context["is_staff"]:
        enrolments = list(selectors.course_enrolments(course))
        for enrolment in enrolments:
            enrolment.actions = workflow.actions(enrolment, workflow.STAFF_ACTIONS)
        candidates = (
            selectors.eligible_mandates(course)
            .exclude(training_enrolments__course=course, training_enrolments__status__in=LIVE)
            .select_related("person", "congress")
            .prefetch_related("memberships__group")
            .order_by("congress__region__code", "person__name")[:1000]
        )
        context.update({
            "enrolments": enrolments,
            "list_form": forms.NominateListForm(candidates=list(candidates)),
            "cancel_form": forms.CancelCourseForm(),
            "note_form": forms.NoteForm(),
            "counts": {s: sum(1 for e in enrolments if e.status == s) for s in EnrolmentStatus.values},
        })  # fmt: skip
    return render(request, "training/course.html", context)


@login_required
def material(request, pk):
    """A course's material file, for those who may see the course (nothing serves MEDIA_ROOT directly)."""
    item = get_object_or_404(Material.objects.exclude(file=""), pk=pk)
    _course_for(request, item.course_id)
    return uploads.serve(item.file, filename=f"material-{item.pk}")


def _staff_course(request, pk) -> Course:
    course = _course_for(request, pk)
    if not scope.can(request.user, "training.manage", course):
        raise PermissionDenied
    return course


def _report_nomination(request, result) -> None:
    if result.nominated:
        messages.success(
            request, _("%(n)s deputies nominated; each is asked to confirm.") % {"n": len(result.nominated)}
        )
    if result.waitlisted:
        messages.warning(request, _("%(n)s deputies put on the waiting list: the course is full.")
                         % {"n": len(result.waitlisted)})  # fmt: skip
    for name, reason in result.skipped[:20]:
        messages.warning(request, _("%(name)s left out: %(reason)s") % {"name": name, "reason": reason})
    if len(result.skipped) > 20:
        messages.warning(request, _("%(n)s more left out.") % {"n": len(result.skipped) - 20})


@require_POST
@role_required(Role.STAFF)
def nominate(request, pk):
    """Nominate by list (the form's deputies) or all new deputies of the term (mode=new)."""
    course = _staff_course(request, pk)
    try:
        if request.POST.get("mode") == "new":
            result = services.nominate_new_deputies(actor=request.user, course_id=course.pk)
        else:
            ids = [pk for pk in map(as_identifier, request.POST.getlist("mandates")) if pk]
            result = services.nominate(actor=request.user, course_id=course.pk, mandate_ids=ids)
    except DomainError as exc:
        report(request, exc)
    else:
        _report_nomination(request, result)
    return redirect("training:course", course.pk)


@role_required(Role.STAFF)
def nominate_by_filter(request, pk):
    """Nominate the deputies a roster-directory filter finds (level, group, occupation, expertise, …)."""
    course = _staff_course(request, pk)
    params = request.POST if request.method == "POST" else request.GET
    filterset = DirectoryFilter(params or None, queryset=roster(request.user), request=request)
    found = filterset.qs.filter(status="active") if filterset.is_bound and filterset.is_valid() else None
    if request.method == "POST" and found is not None:
        try:
            result = services.nominate(actor=request.user, course_id=course.pk,
                                       mandate_ids=list(found.values_list("pk", flat=True)[:5000]))  # fmt: skip
        except DomainError as exc:
            report(request, exc)
        else:
            _report_nomination(request, result)
            return redirect("training:course", course.pk)
    page = _page(request, found.order_by("person__name", "id")) if found is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    context = {"course": course, "filter": filterset, "page": page, "query": query.urlencode()}
    return render(request, "training/nominate_filter.html", context)


@require_POST
@role_required(Role.STAFF)
def course_action(request, pk, action):
    """Publish or cancel a course."""
    course = _staff_course(request, pk)
    try:
        if action == "publish":
            services.publish_course(actor=request.user, course_id=course.pk)
            messages.success(request, _("Published: deputies in the audience can sign up."))
        elif action == "cancel":
            form = forms.CancelCourseForm(request.POST)
            services.cancel_course(actor=request.user, course_id=course.pk,
                                   reason=form.data.get("reason", ""))  # fmt: skip
            messages.success(request, _("The course is cancelled; its deputies are told."))
        else:
            raise Http404
    except DomainError as exc:
        report(request, exc)
    return redirect("training:course", course.pk)


@role_required(Role.STAFF)
def attendance(request, pk):
    """The roll of one sitting: present, absent with leave, absent without leave for each confirmed deputy."""
    sitting = get_object_or_404(Sitting.objects.select_related("course"), pk=pk)
    course = _staff_course(request, sitting.course_id)
    form = forms.AttendanceForm(request.POST or None, roll=selectors.sitting_roll(sitting))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_attendance(actor=request.user, sitting_id=sitting.pk, marks=form.marks())
        except DomainError as exc:
            report(request, exc, form)
        else:
            messages.success(request, _("Roll saved: %(n)s marks changed.") % {"n": changed})
            return redirect("training:attendance", sitting.pk)
    link = request.build_absolute_uri(reverse("training:check_in_link", args=[sitting.checkin_code]))
    return render(request, "training/attendance.html", {"sitting": sitting, "course": course, "form": form,
                                                        "link": link})  # fmt: skip


@role_required(Role.STAFF)
def sitting_qr(request, pk):
    """The QR code of a sitting's check-in link, as SVG to show in the room."""
    sitting = get_object_or_404(Sitting, pk=pk)
    _staff_course(request, sitting.course_id)
    target = request.build_absolute_uri(reverse("training:check_in_link", args=[sitting.checkin_code]))
    code = segno.make(target, error="m")
    # A standalone image needs the SVG namespace, which svg_inline (meant for inside HTML) leaves out.
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=6, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# Staff overview and coverage


@role_required(Role.STAFF, Role.SUPERVISOR)
def manage(request):
    status = request.GET.get("status", "")
    items = selectors.courses_for_staff(request.user)
    if status in CourseStatus.values:
        items = items.filter(status=status)
    plans = scope.visible(request.user, Plan).select_related("congress", "parent").order_by("congress", "-start_date")
    context = {"page": _page(request, items), "plans": plans[:100], "status": status,
               "statuses": CourseStatus.choices, "query": f"status={status}" if status else ""}  # fmt: skip
    return render(request, "training/manage.html", context)


def _plan_for(request, pk) -> Plan:
    plan = get_object_or_404(scope.visible(request.user, Plan).select_related("congress__region", "term"), pk=pk)
    if not scope.can(request.user, "training.view_coverage", plan):
        raise PermissionDenied
    return plan


@role_required(Role.STAFF, Role.SUPERVISOR)
@replica.heavy_reads
def coverage(request, pk):
    """How far each goal stands, who is missing, attendance per course and hours per deputy."""
    plan = _plan_for(request, pk)
    goals = selectors.coverage(plan)
    chosen = request.GET.get("goal", "")
    missing_goal = next((g for g in goals if str(g.goal.pk) == chosen), None) or next(
        (g for g in goals if g.missing_ids), None
    )
    missing = _page(request, selectors.missing_mandates(missing_goal.missing_ids)) if missing_goal else None
    context = {
        "plan": plan,
        "goals": goals,
        "missing_goal": missing_goal,
        "missing": missing,
        "courses": selectors.plan_courses(plan),
        "hours": list(selectors.hours_per_deputy(plan)[:100]),
        "query": f"goal={missing_goal.goal.pk}" if missing_goal else "",
    }
    return render(request, "training/coverage.html", context)


@role_required(Role.STAFF, Role.SUPERVISOR)
@replica.heavy_reads
def coverage_export(request, pk):
    plan = _plan_for(request, pk)
    response = HttpResponse(exporter.coverage_workbook(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="training-coverage-{plan.pk}.xlsx"'
    return response
