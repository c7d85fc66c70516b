"""The kinds of text the code sends, each with the parameters it fills. Providers in China send only approved
templates, so a deployment maps each kind to its provider's template id (settings.SMS_TEMPLATES); the check in
congress/checks.py refuses a templated backend that lacks one.

SMS_TEMPLATES = {"vote_code": {"template": "SMS_123456", "params": {"code": "code", "min": "minutes"}}} sends the
vote code with the template SMS_123456, whose variable ${code} gets the code and ${min} the minutes. "params" may
also be a list of our parameter names, used as the template's variable names."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Kind:
    params: tuple[str, ...]
    description: str
    # A verification code is asked for by the person right then: it goes at any hour and is not held by the daily
    # limit (where it is asked for, its own limit applies: settings.PUBLIC_RATE_PER_PHONE).
    code: bool = False


# Every kind a call to congress.sms.queue or notifications' SMS channel names.
KINDS: dict[str, Kind] = {
    "vote_code": Kind(("code", "minutes", "title"), "verification code of the public vote (cases)", code=True),
    "opinion_result": Kind(("code", "state", "results"), "a citizen's opinion has its outcome (liaison stations)"),
    "notification": Kind(("title", "body"), "an inbox notification also sent by SMS (deadline reminders)"),
    "two_factor_code": Kind(("code", "minutes"), "sign-in code of two-factor sign-in by text message (staff)"),
}


@dataclass(frozen=True)
class Template:
    template_id: str
    params: dict[str, str]  # the provider's variable name → our parameter name


def template(kind: str) -> Template:
    """The provider template configured for kind; KeyError when there is none (the system check prevents it)."""
    entry = settings.SMS_TEMPLATES[kind]
    params = entry.get("params", KINDS[kind].params)
    if not isinstance(params, dict):
        params = {name: name for name in params}
    return Template(str(entry["template"]), dict(params))


def fill(kind: str, params: dict) -> tuple[str, dict[str, str]]:
    """The template id and its variables, from our parameters (as strings, as providers want them)."""
    chosen = template(kind)
    return chosen.template_id, {name: str(params.get(ours, "")) for name, ours in chosen.params.items()}


def problems() -> list[str]:
    """What is wrong with SMS_TEMPLATES for the kinds the code sends (empty when every kind has its template)."""
    found, configured = [], getattr(settings, "SMS_TEMPLATES", {}) or {}
    for name, kind in KINDS.items():
        entry = configured.get(name)
        if not isinstance(entry, dict) or not entry.get("template"):
            found.append(f"no template for SMS kind {name!r} ({kind.description})")
            continue
        params = entry.get("params", kind.params)
        ours = set(params.values()) if isinstance(params, dict) else set(params)
        unknown = sorted(ours - set(kind.params))
        if unknown:
            found.append(f"SMS kind {name!r} has no parameter {', '.join(unknown)} (it has {', '.join(kind.params)})")
    return found
