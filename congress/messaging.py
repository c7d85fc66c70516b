"""Messages to enterprise messaging groups (an office's 企业微信 or 钉钉 / 政务钉钉 group), sent through an outbox.

Deployers name the groups in settings.MESSAGING_ROBOTS (JSON), each with its adapter:

    {"office": {"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
                "congresses": ["440106"]},
     "dd": {"kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=…", "secret": "SEC…",
            "msgtype": "text", "congresses": ["4401"]}}

`congresses` lists the division codes of the congresses whose office the group serves (what the callers send
there, e.g. the daily overdue-units digest). An adapter turns a Message into one HTTP request; the one here is the
webhook-style group robot both products offer (`GroupRobot`): a JSON body `{"msgtype": "markdown" | "text", …}`,
and for 钉钉 the `timestamp` and `sign` query parameters (HMAC-SHA256 of "timestamp\\nsecret" under the secret,
base64). Requests go through congress.outbound, the webhooks' guard: a robot address that resolves to an internal
address (outside WEBHOOK_ALLOWED_NETWORKS), or plain http on a live site, is refused and the message fails.

A caller stores a message with `queue(...)` inside its transaction; `deliver` (the congress.tasks.send_robot_message
task) sends it once that commits. A failure that may pass (network, 5xx, 429, the robot's rate limit) leaves it
pending with its next attempt backed off, and `requeue` (in the requeue_stuck_deliveries beat) sends it again; a
permanent one (a 4xx, a refused address, a refused signature or key) is recorded as failed."""

import base64
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote_plus

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import outbound
from .emails import absolute

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=2)
KEEP_FINISHED = timedelta(days=30)
# The robots' answers that mean "later": 企业微信 45009 (API rate), 钉钉 130101 (sending too fast).
RATE_LIMITED = {45009, 130101}


class MessagingError(Exception):
    """A message was not taken; `retryable` says whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Message:
    title: str
    text: str
    link: str = ""


class Adapter:
    """The interface of an enterprise messaging channel: deliver one message to the group it was set up for, or
    raise MessagingError."""

    def __init__(self, **options):
        self.options = options

    def send(self, message: Message) -> None:
        raise NotImplementedError


class GroupRobot(Adapter):
    """A webhook-style group robot: 企业微信 (`flavour` "wecom") or 钉钉 / 政务钉钉 ("dingtalk", signed when a
    secret is set)."""

    def __init__(self, *, flavour: str, url: str, secret: str = "", msgtype: str = "markdown", **options):
        super().__init__(**options)
        if flavour not in ("wecom", "dingtalk"):
            raise ValueError(f"unknown robot flavour {flavour!r}")
        if msgtype not in ("markdown", "text"):
            raise ValueError(f"unknown robot msgtype {msgtype!r}")
        self.flavour, self.url, self.secret, self.msgtype = flavour, url, secret, msgtype

    def payload(self, message: Message) -> dict:
        link = absolute(message.link) if message.link else ""
        if self.msgtype == "text":
            content = "\n".join(part for part in (message.title, message.text, link) if part)
            return {"msgtype": "text", "text": {"content": content}}
        heading = "### " if self.flavour == "dingtalk" else "## "
        parts = [heading + message.title, message.text]
        if link:
            parts.append(f"[{_open_label()}]({link})")
        content = "\n\n".join(part for part in parts if part)
        if self.flavour == "dingtalk":
            return {"msgtype": "markdown", "markdown": {"title": message.title, "text": content}}
        return {"msgtype": "markdown", "markdown": {"content": content}}

    def signed_url(self, timestamp_ms: int | None = None) -> str:
        """The address to post to: 钉钉's with `timestamp` and `sign` when the robot has a secret."""
        if self.flavour != "dingtalk" or not self.secret:
            return self.url
        timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
        digest = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256).digest()
        sign = quote_plus(base64.b64encode(digest).decode())
        joiner = "&" if "?" in self.url else "?"
        return f"{self.url}{joiner}timestamp={timestamp}&sign={sign}"

    def send(self, message: Message) -> None:
        body = json.dumps(self.payload(message), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "congress-robot/1"}
        timeout = settings.MESSAGING_TIMEOUT_SECONDS
        try:
            status, answer = outbound.exchange(self.signed_url(), body, headers, timeout, read=4096)
        except outbound.Refused as exc:
            passing = exc.category in (outbound.TIMEOUT, outbound.REFUSED, outbound.FAILED, outbound.DNS)
            raise MessagingError(exc.category, retryable=passing) from None
        if status >= 500 or status == 429:
            raise MessagingError(outbound.http_status(status), retryable=True)
        if not 200 <= status < 300:
            raise MessagingError(outbound.http_status(status), retryable=False)
        try:
            code = int(json.loads(answer or b"{}").get("errcode", 0))
        except (ValueError, TypeError, AttributeError):
            code = 0  # a 2xx without the usual JSON: the robot took it
        if code:
            raise MessagingError(f"robot errcode {code}", retryable=code in RATE_LIMITED)


def _open_label() -> str:
    from django.utils.translation import gettext

    return gettext("Open in the system")


ADAPTERS = {
    "wecom": lambda **config: GroupRobot(flavour="wecom", **config),
    "dingtalk": lambda **config: GroupRobot(flavour="dingtalk", **config),
}


def robots() -> dict:
    return getattr(settings, "MESSAGING_ROBOTS", {}) or {}


def adapter(name: str) -> Adapter:
    """The adapter of a configured robot; KeyError for a name no longer configured."""
    config = dict(robots()[name])
    kind = config.pop("kind")
    config.pop("congresses", None)
    return ADAPTERS[kind](**config)


def robots_for(congress) -> list[str]:
    """The robots whose group is this congress's office (named by its region's division code)."""
    code = congress.region.code
    return sorted(name for name, config in robots().items() if code in (config.get("congresses") or []))


def problems() -> list[str]:
    """What is wrong with MESSAGING_ROBOTS (empty when every robot can be built); no address is resolved here."""
    found = []
    if not isinstance(robots(), dict):
        return ["MESSAGING_ROBOTS must be a JSON object of robot name → settings"]
    for name, config in robots().items():
        if not isinstance(config, dict) or config.get("kind") not in ADAPTERS:
            found.append(f"robot {name!r}: kind must be one of {', '.join(sorted(ADAPTERS))}")
            continue
        if not str(config.get("url", "")).startswith(("https://", "http://")):
            found.append(f"robot {name!r}: url must be an http(s) address")
            continue
        try:
            adapter(name)
        except (TypeError, ValueError) as exc:
            found.append(f"robot {name!r}: {exc}")
    return found


def queue(robot: str, *, key: str, title: str, text: str, link: str = ""):
    """Store a message for a robot in the caller's transaction; sent once that commits. A key already stored is
    not stored again (returns None)."""
    from .models import RobotMessage
    from .outbox import enqueue
    from .tasks import send_robot_message

    with transaction.atomic():
        message, created = RobotMessage.objects.get_or_create(
            key=key[:200], defaults={"robot": robot, "title": title[:200], "text": text, "link": link[:300]}
        )
        if not created:
            return None
        enqueue(send_robot_message, message.pk)
    return message


# Names typed by people (a unit's, a congress's) go into the robots' markdown; these characters would make a link,
# an image, emphasis, a heading or a 企业微信 <font> tag of them. Their full-width forms read the same to a person.
MARKDOWN_SAFE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "[]()<>*_`#!|~\\"})


def plain(value) -> str:
    """`value` as text that a robot's markdown shows as it is, on one line."""
    return " ".join(str(value).split()).translate(MARKDOWN_SAFE)


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def deliver(message_id: int) -> str:
    """Send one stored message if nobody else is; safe to call again after a crash, a retry or a repeated task."""
    from .models import RobotMessage

    now, Status = timezone.now(), RobotMessage.Status
    due = Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stale = Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    won = RobotMessage.objects.filter(due | stale, pk=message_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return "skipped"
    message = RobotMessage.objects.get(pk=message_id)
    mine = RobotMessage.objects.filter(pk=message_id)
    try:
        adapter(message.robot).send(Message(message.title, message.text, message.link))
    except KeyError:
        mine.update(status=Status.FAILED, next_attempt_at=None, last_error="robot not configured")
        log.error("robot message %s: no robot %r in MESSAGING_ROBOTS", message_id, message.robot)
        return "failed"
    except MessagingError as exc:
        failed = not exc.retryable or message.attempts >= MAX_ATTEMPTS
        mine.update(
            status=Status.FAILED if failed else Status.PENDING,
            next_attempt_at=None if failed else now + backoff(message.attempts),
            last_error=str(exc)[:2000],
        )
        log.warning("robot message %s to %s failed (attempt %s): %s", message_id, message.robot, message.attempts, exc)
        return "failed" if failed else "retry"
    mine.update(status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")
    return "sent"


def requeue(limit: int = 1000) -> int:
    """Enqueue messages whose next attempt is due, or whose task or worker was lost; forget finished ones after
    KEEP_FINISHED."""
    from .models import RobotMessage
    from .tasks import send_robot_message

    now, Status = timezone.now(), RobotMessage.Status
    old = RobotMessage.objects.filter(status__in=[Status.SENT, Status.FAILED], created_at__lt=now - KEEP_FINISHED)
    RobotMessage.objects.filter(pk__in=list(old.order_by("id").values_list("pk", flat=True)[:limit])).delete()
    due = list(
        RobotMessage.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.PENDING, next_attempt_at__isnull=True, created_at__lt=now - STALE_CLAIM)
            | Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        try:
            send_robot_message.delay(pk)
        except Exception:  # broker down: the row waits for the next requeue
            log.warning("robot message %s not queued; the next requeue sends it", pk, exc_info=True)
    return len(due)
