"""The topics pages: staff read their congress's topics, rename and merge them, recompute them now, and export
them for the yearly report."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dashboard, scope, tasks, topics
from .errors import DomainError
from .forms import TopicMergeForm, TopicRenameForm
from .models import Role, Topic
from .uploads import XLSX
from .web import report, role_required


def _congress(request):
    congresses = dashboard.congresses_for(request.user)
    if not congresses:
        raise Http404
    wanted = request.GET.get("congress") or request.POST.get("congress")
    return next((c for c in congresses if str(c.pk) == str(wanted)), congresses[0]), congresses


@role_required(Role.STAFF)
def topic_list(request):
    """The congress's topics with keywords, counts and trend; a button recomputes them now."""
    congress, congresses = _congress(request)
    if request.method == "POST":
        # The congress is one of the user's own staff congresses (_congress offers no other).
        transaction.on_commit(lambda: tasks.recompute_topics.delay(congress.pk))
        messages.success(request, _("The topics are being recomputed; reload the page in a minute."))
        return redirect(f"{request.path}?congress={congress.pk}")
    today = timezone.localdate()
    context = {
        "congress": congress,
        "congresses": congresses,
        "rows": topics.table(request.user, congress, today),
        "months": topics.months(today),
        "kinds": topics.kind_columns(),
        "as_of": topics.as_of(congress.pk),
        "can_edit": congress.pk in scope.congress_ids(request.user),
    }
    return render(request, "congress/topics.html", context)


@role_required(Role.STAFF)
def topic_detail(request, pk):
    """One topic: its keywords, trend and items by kind, with staff's rename and merge forms."""
    topic = scope.get_for(request.user, Topic, pk)
    if topic is None:
        raise Http404
    kind = request.POST.get("form")
    rename = TopicRenameForm(request.POST if kind == "rename" else None, initial={"name": topic.staff_label})
    merge = TopicMergeForm(request.POST if kind == "merge" else None, user=request.user, topic=topic)
    if request.method == "POST":
        form = rename if kind == "rename" else merge
        if form.is_valid():
            try:
                if form is rename:
                    topics.rename(actor=request.user, topic_id=topic.pk, name=form.cleaned_data["name"])
                    messages.success(request, _("The topic is renamed."))
                    return redirect("topic", topic.pk)
                target = topics.merge(actor=request.user, topic_id=topic.pk, into_id=form.cleaned_data["into"].pk)
                messages.success(request, _("The topic is merged; its items now count under this one."))
                return redirect("topic", target.pk)
            except DomainError as exc:
                report(request, exc, form)
    today = timezone.localdate()
    context = {
        "topic": topic,
        "trend": list(zip(topics.months(today), topics.trends([topic.pk], today)[topic.pk], strict=True)),
        "merged": topic.merged.order_by("pk"),
        "rename_form": rename,
        "merge_form": merge,
        "can_edit": scope.can(request.user, "congress.edit_topic", topic),
    }
    return render(request, "congress/topic.html", context)


@role_required(Role.STAFF)
def topic_export(request):
    """The topics page as .xlsx, for the yearly report."""
    congress, _congresses = _congress(request)
    today = timezone.localdate()
    workbook = topics.workbook(
        congress, topics.table(request.user, congress, today), topics.months(today), topics.kind_columns(),
        topics.as_of(congress.pk),
    )  # fmt: skip
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="topics-{today:%Y%m%d}.xlsx"'
    return response
