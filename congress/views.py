from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import DisallowedHost
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from congress.params import as_identifier

from . import health, notifications, scope, selectors, tiles, twofactor


def healthz(request):
    """The process is up."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """The database and the broker are reachable; the workers' state is reported too, but a web process is ready
    without them (work waits in the queue), so it does not make the probe fail. Nor does the read replica's, when
    one is configured: heavy reads fall back to the primary without it."""
    checks = {"database": health.check_database(), "broker": health.check_broker()}
    ok = all(value == health.OK for value in checks.values())
    checks["workers"] = health.workers_status()
    body = {"status": "ok" if ok else "unavailable", "checks": checks}
    replica = health.replica_status()
    if replica is not None:
        checks["replica"] = replica.pop("status")
        body["replica"] = replica
    return JsonResponse(body, status=200 if ok else 503)


def home(request):
    """The front door: citizens see the public services; a signed-in user their own landing page."""
    if not request.user.is_authenticated:
        return render(request, "congress/public_home.html", {"tiles": _public_tiles()})
    return _landing(request)


def _public_tiles() -> list[dict]:
    """The public services each app offers on the front door, through a `public_tiles` AppConfig hook: dicts with
    order, title, text, url and link (the main action), and optionally items [(label, url)] and a GET form
    {"action", "button", "fields": [(name, label, input type, placeholder)]}."""
    from django.apps import apps

    tiles = []
    for config in apps.get_app_configs():
        hook = getattr(config, "public_tiles", None)
        if hook is not None:
            # Every tile has its items, if only none: a template's `tile.items` would otherwise call dict.items().
            tiles.extend({"items": [], **tile} for tile in hook())
    return sorted(tiles, key=lambda tile: tile.get("order", 100))


def _landing(request):
    """Each role's landing page: who you are, a tile per main task with its to-do count, and your deadlines."""
    user = request.user
    today = timezone.localdate()
    deadlines = selectors.home_deadlines(user, until=today + timedelta(days=14), today=today)
    context = {
        "memberships": scope.memberships(user),
        "is_staff_role": scope.has_role(user, "staff"),
        "tiles": tiles.for_user(user),
        "deadlines": deadlines,
        "overdue": [d for d in deadlines if d.overdue],
        "upcoming": [d for d in deadlines if not d.overdue],
        "recent": user.notifications.all()[:5],
        "counts": selectors.scope_counts(user),
        "links": _account_links(user),
    }
    return render(request, "congress/home.html", context)


def _account_links(user) -> list[tuple[str, str]]:
    """The person's notification settings; the backup codes of a two-factor sign-in, with a warning while there are
    none left."""
    links = [(_("Notification settings"), reverse("notification_settings"))]
    if not twofactor.requires_two_factor(user):
        return links
    left = twofactor.backup_codes_left(user)
    label = _("Backup codes for two-factor sign-in") if left else _("Make backup codes for two-factor sign-in")
    return [*links, (label, reverse("two_factor_backup"))]


@login_required
def inbox(request):
    page = Paginator(request.user.notifications.all(), 25).get_page(request.GET.get("page"))
    return render(request, "congress/inbox.html", {"page": page})


@login_required
def notification_settings(request):
    """通知设置: the signed-in person's own preference (nobody else's: the page takes no id)."""
    from . import services
    from .inputs import NotificationPreferenceForm

    preference = notifications.preference_of(request.user.pk)
    initial = {name: getattr(preference, name) for name in services.PREFERENCE_FIELDS}
    form = NotificationPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_notification_preference(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    return render(request, "congress/notification_settings.html", {"form": form, "phone": request.user.phone})


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id")
    notifications.mark_read(request.user, [pk for pk in map(as_identifier, ids) if pk] if ids else None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "inbox"
    return redirect(target)


def _raw_body(request) -> bytes:
    """The request's bytes; none when a multipart form was already parsed (providers send JSON)."""
    try:
        return request.body
    except RawPostDataException:
        return b""


@csrf_exempt
@require_POST
def sms_receipt_aliyun(request, token):
    """Alibaba Cloud's delivery receipts; the address's secret stands for the signature Alibaba does not give."""
    from .sms import receipts

    if not receipts.aliyun_token_ok(token):
        return JsonResponse({"code": 1, "msg": "unknown address"}, status=404)
    try:
        receipts.from_aliyun(_raw_body(request))
    except receipts.BadReceipt as exc:
        return JsonResponse({"code": 1, "msg": str(exc)}, status=400)
    return JsonResponse({"code": 0, "msg": "成功"})


@csrf_exempt
@require_POST
def sms_receipt_gateway(request):
    """The provincial gateway's delivery receipts, signed with the shared secret."""
    from .sms import receipts

    body = _raw_body(request)
    if not receipts.gateway_signature_ok(request.headers, body):
        return JsonResponse({"code": 1, "message": "bad signature"}, status=403)
    try:
        receipts.from_gateway(body)
    except receipts.BadReceipt as exc:
        return JsonResponse({"code": 1, "message": str(exc)}, status=400)
    return JsonResponse({"code": 0, "message": "ok"})


@csrf_exempt
def api_not_found(request):
    """Any /api/v1/…/ address that matches no endpoint: the API's JSON error, not an HTML page."""
    from django.utils.translation import gettext as _

    body = {"error": {"status": 404, "code": "not_found", "message": _("No such API address."), "fields": {}}}
    return JsonResponse(body, status=404)


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked-out login: a page in the user's language, 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email, with requests counted per address and per email address: the form sends mail
    to whoever an address belongs to, so it must not become a way to flood an inbox."""

    extra_email_context = {"site_title": settings.SITE_NAME}

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "").strip().lower()
        rate = settings.PASSWORD_RESET_RATE
        by_ip = is_ratelimited(request, group="password_reset:ip", key="ip", rate=rate, increment=True)
        by_email = is_ratelimited(
            request, group="password_reset:email", key=lambda _group, _request: email, rate=rate, increment=True
        )
        if by_ip or by_email:
            return render(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)


# Error pages (handler400/403/404/500 in congress/urls.py, CSRF_FAILURE_VIEW): in the visitor's language, saying
# what happened and what to do, with a way back. Standalone (no context processors), so that a page still comes
# when the error is the database or the session.
ERROR_TEXTS = {
    400: (
        gettext_lazy("The request could not be read"),
        gettext_lazy("Something in the address or the form is not valid. Check it and try again."),
    ),
    403: (
        gettext_lazy("You may not open this page"),
        gettext_lazy("Your account has no access to this page. If you think it should, ask your congress's staff."),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy("The page does not exist, or it has been moved or removed. Check the address."),
    ),
    500: (
        gettext_lazy("Something went wrong on our side"),
        gettext_lazy("The error has been recorded. Please try again in a few minutes."),
    ),
}


def error_page(request, status: int, *, title=None, message=None, detail=None) -> HttpResponse:
    default_title, default_message = ERROR_TEXTS.get(status, ERROR_TEXTS[400])
    back = None
    try:
        referer = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(referer, {request.get_host()}) and referer != request.build_absolute_uri():
            back = referer
    except DisallowedHost:  # the 400 for a host name the site does not answer: no way back but home
        pass
    context = {"status": status, "title": title or default_title, "message": message or default_message,
               "detail": detail, "back": back}  # fmt: skip
    return HttpResponse(loader.render_to_string("errors/page.html", context), status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason=""):
    message = _("The page was open too long, or cookies are blocked. Go back, reload the page and send the form again.")
    return error_page(request, 403, title=_("The form has expired"), message=message)
