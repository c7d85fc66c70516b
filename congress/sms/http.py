"""One HTTP request to an SMS provider with the standard library (the project has no HTTP client dependency).

The provider's URL comes from the operator's settings, not from users, so congress.outbound's address checks do
not apply (the provincial gateway is often on the intranet). No redirects are followed and no proxy variables are
read: the request goes exactly where the settings say, and a redirect is an answer to look at, not to follow."""

import urllib.error
import urllib.request
from dataclasses import dataclass

from .errors import PermanentSmsError, RetryableSmsError


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def post(url: str, body: bytes, headers: dict, timeout: float) -> Answer:
    """POST body; returns the answer whatever its status. Raises RetryableSmsError when no answer came."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.read())
    except OSError as exc:  # URLError, timeouts and refused connections are all OSErrors
        raise RetryableSmsError(f"SMS provider unreachable: {exc}") from exc


def raise_for_status(answer: Answer, code: str = "", message: str = "") -> None:
    """5xx and 429 may pass; any other status outside 2xx will not."""
    if 200 <= answer.status < 300:
        return
    text = f"SMS provider answered HTTP {answer.status}" + (f": {code} {message}".rstrip() if code else "")
    if answer.status >= 500 or answer.status == 429:
        raise RetryableSmsError(text, code=code, status=answer.status)
    raise PermanentSmsError(text, code=code, status=answer.status)
