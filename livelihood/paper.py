"""Paper ballots at the session (纸质选票), entered by the tellers twice (双人录入).

Two separate acts, so nothing joins a deputy to a sheet: when a deputy takes a paper ballot, a teller records that
they voted (a Turnout with channel paper, as a phone vote does); after the vote the tellers enter the numbered sheets
from the box. Each sheet is entered by two different tellers independently; it becomes one Ballot (channel paper)
only when the two entries agree. A sheet whose entries differ is listed for re-entry, and a teller corrects their
own entry after looking at the sheet again. The count (services.close_vote) waits until every sheet is counted, and
then finds as many ballots as deputies who voted."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congress import audit
from congress.errors import Conflict, Forbidden, RuleViolation
from deputies.models import Mandate, MandateStatus

from . import workflow
from .models import (
    Ballot,
    BallotMark,
    BallotState,
    Candidate,
    Channel,
    PaperEntry,
    PaperSheet,
    PaperSheetStatus,
    Turnout,
)
from .services import lock_programme

MAX_SHEET = 100000
# A sheet is done once both entries agree: counted as marked, or as spoiled.
DONE = (PaperSheetStatus.COUNTED, PaperSheetStatus.SPOILED)


def issue_paper(*, actor, programme_id: int, mandate_id: int) -> Turnout:
    """A teller records that a deputy present took a paper ballot: they have voted, and cannot vote again."""
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "issue_paper")
        mandate = Mandate.objects.filter(pk=mandate_id, congress_id=programme.congress_id).first()
        if mandate is None:
            raise RuleViolation(fields={"mandate": [_("Choose a deputy of the congress.")]})
        if mandate.status != MandateStatus.ACTIVE:
            raise Forbidden(_("A deputy whose mandate is suspended or has ended cannot vote."))
        if Turnout.objects.filter(programme=programme).count() >= programme.present:
            raise Conflict(_("As many deputies have voted as are present: ask the presidium to check the count."))
        try:
            with transaction.atomic():
                turnout = Turnout.objects.create(programme=programme, mandate=mandate, channel=Channel.PAPER)
        except IntegrityError:
            raise Conflict(_("This deputy has already voted.")) from None
        move.apply(fields=[])
    return turnout


def _marks(programme, candidate_ids) -> list[int]:
    wanted = sorted({int(pk) for pk in candidate_ids})
    if len(wanted) > programme.projects:
        raise RuleViolation(fields={"candidates": [
            _("A ballot marks at most %(n)s projects: a sheet that marks more is spoiled, so enter it as spoiled.")
            % {"n": programme.projects}]})  # fmt: skip
    if Candidate.objects.filter(programme=programme, pk__in=wanted).count() != len(wanted):
        raise RuleViolation(fields={"candidates": [_("Mark only this programme's candidates.")]})
    return wanted


def enter_sheet(*, actor, programme_id: int, number: int, candidate_ids, spoiled: bool = False) -> PaperSheet:
    """A teller enters a sheet as they read it: its marks, or that it is spoiled (废票). The first entry waits for a
    second teller's; when the second agrees the sheet is counted as one ballot (a spoiled one counts for nobody);
    when it differs the sheet is listed for re-entry. Entering a sheet again replaces the teller's own entry (a
    correction after a mismatch): it never counts as the second one."""
    if not 1 <= int(number) <= MAX_SHEET:
        raise RuleViolation(fields={"number": [_("Give the number printed on the sheet.")]})
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "enter_paper")
        wanted = [] if spoiled else _marks(programme, candidate_ids)
        sheet, _created = PaperSheet.objects.get_or_create(programme=programme, number=int(number))
        sheet = PaperSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.status in DONE:
            raise Conflict(_("Sheet %(n)s is already counted.") % {"n": sheet.number})
        entries = {e.teller_id: e for e in sheet.entries.select_for_update()}
        own = entries.get(actor.pk)
        if own is not None:
            own.candidate_ids, own.spoiled = wanted, bool(spoiled)
            own.save(update_fields=["candidate_ids", "spoiled", "entered_at"])
        elif len(entries) >= 2:
            raise Conflict(_("Two tellers have already entered sheet %(n)s.") % {"n": sheet.number})
        else:
            slot = 1 if not entries else 3 - next(iter(entries.values())).slot
            own = PaperEntry.objects.create(sheet=sheet, slot=slot, teller=actor, candidate_ids=wanted,
                                            spoiled=bool(spoiled))  # fmt: skip
            entries[actor.pk] = own
        before = sheet.status
        if len(entries) == 2:
            first, second = entries.values()
            if (first.spoiled, first.candidate_ids) == (second.spoiled, second.candidate_ids) and first.spoiled:
                Ballot.objects.create(programme=programme, channel=Channel.PAPER, state=BallotState.SPOILED)
                sheet.status = PaperSheetStatus.SPOILED
            elif (first.spoiled, first.candidate_ids) == (second.spoiled, second.candidate_ids):
                ballot = Ballot.objects.create(programme=programme, channel=Channel.PAPER)
                BallotMark.objects.bulk_create([BallotMark(ballot=ballot, candidate_id=pk) for pk in wanted])
                sheet.status = PaperSheetStatus.COUNTED
            else:
                sheet.status = PaperSheetStatus.MISMATCH
            sheet.save(update_fields=["status"])
        move.apply(fields=[], changes={"sheet": (before, sheet.status)}, number=sheet.number)
    return sheet


def unmatched(programme) -> list[int]:
    """The numbers of the sheets not counted yet: entered once, or by two tellers who disagree."""
    return list(
        PaperSheet.objects.filter(programme=programme).exclude(status__in=DONE)
        .order_by("number").values_list("number", flat=True)
    )  # fmt: skip


def check_all_counted(programme) -> None:
    """close_vote's guard: no count while a sheet waits for its second entry or for re-entry."""
    waiting = unmatched(programme)
    if waiting:
        raise Conflict(
            _("Paper ballots %(numbers)s are not matched yet: enter them twice before the count.")
            % {"numbers": "、".join(str(n) for n in waiting)}
        )


def missing(programme) -> int:
    """Paper ballots taken (a deputy recorded as voting on paper) less those in the box (sheets counted or spoiled,
    and ballots recorded as not returned)."""
    taken = Turnout.objects.filter(programme=programme, channel=Channel.PAPER).count()
    return taken - Ballot.objects.filter(programme=programme, channel=Channel.PAPER).count()


def record_not_returned(*, actor, programme_id: int, reason: str) -> int:
    """Once every sheet in the box is entered, the tellers record the paper ballots taken and never put in the box:
    each becomes a ballot that counts for nobody, so the ballots match the deputies who voted and the vote can be
    counted. Returns how many were recorded."""
    reason = (reason or "").strip()[:1000]
    if not reason:
        raise RuleViolation(fields={"reason": [_("Say why the ballots are missing, as the tellers found it.")]})
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "enter_paper")
        check_all_counted(programme)
        count = missing(programme)
        if count < 0:
            raise Conflict(_("The box holds %(n)s more sheets than deputies took: the count stops here.")
                           % {"n": -count})  # fmt: skip
        if count == 0:
            raise RuleViolation(_("Every paper ballot taken is in the box."))
        Ballot.objects.bulk_create(
            [Ballot(programme=programme, channel=Channel.PAPER, state=BallotState.NOT_RETURNED) for _i in range(count)]
        )
        move.apply(fields=[], changes={"not_returned": (0, count)}, reason=reason)
    return count


def check_returned(programme) -> None:
    """close_vote's guard: every paper ballot taken is in the box or recorded as not returned."""
    count = missing(programme)
    if count > 0:
        raise Conflict(
            _("%(n)s paper ballots taken are not in the box: enter their sheets, or record them as not returned.")
            % {"n": count}
        )
