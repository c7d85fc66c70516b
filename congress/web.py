"""Small helpers shared by the HTML views of every app."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError

from . import scope
from .errors import DomainError


def role_required(*roles):
    """Signed in and holding one of the roles (administrators always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not scope.has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def report(request, exc, form=None) -> None:
    """Show a domain or validation error on the form (per field where it names one) or as a message."""
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    elif isinstance(exc, DomainError):
        fields = exc.fields or {None: [str(exc.message)]}
    else:
        raise exc
    for field, errors in fields.items():
        for error in errors if isinstance(errors, list) else [errors]:
            if form is not None and (field is None or field in form.fields):
                form.add_error(field, str(error))
            else:
                messages.error(request, str(error))


class CodeCookie:
    """The code a citizen was just given (an opinion's, a proposal's), carried to the thanks page in a signed,
    short-lived, HTTP-only cookie, not in a session: a citizen has none, and a session row per submission cost
    the form more statements and a second commit. Signed, so a page cannot be made to show a code it did not give."""

    def __init__(self, name: str, salt: str, max_age: int = 3600):
        self.name, self.salt, self.max_age = name, salt, max_age

    def remember(self, response, code: str):
        response.set_signed_cookie(self.name, code, salt=self.salt, max_age=self.max_age, httponly=True,
                                   samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
        return response

    def read(self, request) -> str | None:
        return request.get_signed_cookie(self.name, default=None, salt=self.salt, max_age=self.max_age)
