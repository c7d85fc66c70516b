import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user picked another language (the language cookie); a browser's own
    Accept-Language does not switch an office system to English."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY (Django has no setting of its own for this header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionExpiryMiddleware:
    """Ends a signed-in session SESSION_IDLE_TIMEOUT seconds after its last request, and SESSION_COOKIE_AGE
    seconds after login however active it stayed. The session's own expiry cannot do both: saving it on every
    request to slide the idle limit would also slide the absolute one."""

    STARTED = "_session_started"
    SEEN = "_session_seen"
    # Write the last-seen time at most once a minute, not on every request.
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session, now = request.session, time.time()
        started = session.get(self.STARTED)
        if started is None:  # a login before this module's receiver was connected
            last_login = request.user.last_login
            started = last_login.timestamp() if last_login else now
        seen = session.get(self.SEEN, started)
        if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(request, _("Your session has ended; please log in again."))
            return
        if now - seen > self.RESOLUTION:
            session[self.SEEN] = now


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SessionExpiryMiddleware.STARTED] = request.session[SessionExpiryMiddleware.SEEN] = time.time()
