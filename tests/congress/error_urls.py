"""The site's URLs plus one address per error, for tests/congress/test_error_pages.py."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.urls import path

from congress.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def _raise(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    path("boom/400/", _raise(BadRequest("bad"))),
    path("boom/403/", _raise(PermissionDenied())),
    path("boom/404/", _raise(Http404())),
    path("boom/500/", _raise(RuntimeError("broken"))),
    *urlpatterns,
]
