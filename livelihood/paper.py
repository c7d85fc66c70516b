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
from .models import Ballot, BallotMark, Candidate, Channel, PaperEntry, PaperSheet, PaperSheetStatus, Turnout
from .services import lock_programme

MAX_SHEET = 100000


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
        raise RuleViolation(
            fields={"candidates": [_("A ballot marks at most %(n)s projects.") % {"n": programme.projects}]}
        )
    if Candidate.objects.filter(programme=programme, pk__in=wanted).count() != len(wanted):
        raise RuleViolation(fields={"candidates": [_("Mark only this programme's candidates.")]})
    return wanted


def enter_sheet(*, actor, programme_id: int, number: int, candidate_ids) -> PaperSheet:
    """A teller enters a sheet as they read it. The first entry waits for a second teller's; when the second agrees
    the sheet is counted as one ballot; when it differs the sheet is listed for re-entry. Entering a sheet again
    replaces the teller's own entry (a correction after a mismatch): it never counts as the second one."""
    if not 1 <= int(number) <= MAX_SHEET:
        raise RuleViolation(fields={"number": [_("Give the number printed on the sheet.")]})
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "enter_paper")
        wanted = _marks(programme, candidate_ids)
        sheet, _created = PaperSheet.objects.get_or_create(programme=programme, number=int(number))
        sheet = PaperSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.status == PaperSheetStatus.COUNTED:
            raise Conflict(_("Sheet %(n)s is already counted.") % {"n": sheet.number})
        entries = {e.teller_id: e for e in sheet.entries.select_for_update()}
        own = entries.get(actor.pk)
        if own is not None:
            own.candidate_ids = wanted
            own.save(update_fields=["candidate_ids", "entered_at"])
        elif len(entries) >= 2:
            raise Conflict(_("Two tellers have already entered sheet %(n)s.") % {"n": sheet.number})
        else:
            slot = 1 if not entries else 3 - next(iter(entries.values())).slot
            own = PaperEntry.objects.create(sheet=sheet, slot=slot, teller=actor, candidate_ids=wanted)
            entries[actor.pk] = own
        before = sheet.status
        if len(entries) == 2:
            first, second = entries.values()
            if first.candidate_ids == second.candidate_ids:
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
        PaperSheet.objects.filter(programme=programme).exclude(status=PaperSheetStatus.COUNTED)
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
