"""Append-only change log (django-auditlog): models listed in models.audited_models() are logged on
every create, change and delete; services call record() for state transitions."""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What a person reads for each named action in a history: the workflow tables' rows name theirs
# (congress.transitions.Machine.register), the rest are named here or by their app (name_actions).
ACTION_LABELS: dict[str, str] = {}
# Django's automatic entries, which django-auditlog leaves untranslated.
ROW_ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("history action", "created"),
    LogEntry.Action.UPDATE: pgettext_lazy("history action", "changed"),
    LogEntry.Action.DELETE: pgettext_lazy("history action", "deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("history action", "viewed"),
}


def name_actions(labels: dict) -> None:
    """Give named actions their readable label (the first name given stays: tables register before apps)."""
    for name, label in labels.items():
        ACTION_LABELS.setdefault(name, label)


name_actions({
    "view_personal_data": _("personal data viewed unmasked"),
    "console_export": _("exported from the console"),
    "document_issued": _("document number given"),
    "voter_report_recorded": _("report to voters recorded"),
    "voter_report_corrected": _("report to voters corrected"),
    "assignment_letters": _("assignment letters written"),
    "assignment_list": _("assignment list written"),
    "suggestion_compilation": _("compilation of suggestions written"),
    "reply_compilation": _("compilation of replies written"),
    "create": pgettext_lazy("history action", "created"),
    "change": pgettext_lazy("history action", "changed"),
    "revoke": _("revoked"),
    "rotate_token": _("new token issued"),
    "replay_webhook": _("webhook delivery sent again"),
    "notification_preference": _("notification settings changed"),
    "rotate_webhook_secret": _("webhook secret renewed"),
    "remind": _("reminded"),
    "archive": _("archived"),
    "restore": _("restored"),
    "two_factor.enrolled": _("authenticator enrolled"),
    "two_factor.reset": _("two-factor sign-in reset"),
    "two_factor.backup_codes_issued": _("backup codes made"),
    "two_factor.backup_code_used": _("signed in with a backup code"),
    "two_factor.sms_enrolled": _("phone for sign-in codes enrolled"),
    "two_factor.sms_removed": _("phone for sign-in codes removed"),
})  # fmt: skip


def action_label(entry) -> str:
    """The readable name of a history entry's action: the named action's label, else created/changed/deleted."""
    named = (entry.additional_data or {}).get("action")
    if named:
        return str(ACTION_LABELS.get(named, named))
    return str(ROW_ACTIONS.get(entry.action, entry.get_action_display()))


def register_models():
    from .models import audited_models

    for model, options in audited_models():
        if not auditlog.contains(model):
            auditlog.register(model, **options)


def record(actor, obj, action: str, changes: dict | None = None, **extra) -> LogEntry:
    """Log a named action (a workflow transition, an import, a bulk change) on obj by actor."""
    context = auditlog_value.get({})
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={key: [str(old), str(new)] for key, (old, new) in (changes or {}).items()},
        actor=actor if getattr(actor, "pk", None) else None,
        remote_addr=context.get("remote_addr"),
        additional_data={"action": action, **extra},
    )


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")


@contextmanager
def acting_as(actor):
    """Attribute automatic audit entries to actor, keeping the request's address when there is one."""
    context = auditlog_value.get({})
    user = actor if getattr(actor, "pk", None) else None
    with set_actor(user, remote_addr=context.get("remote_addr"), remote_port=context.get("remote_port")):
        yield
