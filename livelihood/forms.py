from django import forms
from django.utils.translation import gettext_lazy


class BallotForm(forms.Form):
    # Ticking none is a valid vote for none (弃权): the field may be empty.
    candidates = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Projects you vote for"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(c.pk, f"{c.number}. {c.title}") for c in candidates]


class OpenVoteForm(forms.Form):
    present = forms.IntegerField(
        label=gettext_lazy("Deputies present"), min_value=1, max_value=100000,
        help_text=gettext_lazy("As announced at the session: a project needs more than half of them."),
    )  # fmt: skip


class TieForm(forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Projects chosen"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the decision"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, tied, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(c.pk, f"{c.number}. {c.title}") for c in tied]
