"""The formsets of the two rating pages: a side's own ratings, and the page where both sides
agree many disagreed statements at once. Each page posts exactly the rows it showed, in
order; ``posted_as_shown`` and ``posted_order`` refuse a page that is out of date."""

from django import forms


class ManyAgreedForm(forms.Form):
    """One disagreed statement on the "agree many at once" page. Left as the page showed it
    (``orig``, a fingerprint of what was shown), it is skipped: ``changed`` is False."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    orig = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    level = forms.TypedChoiceField(label="Agreed rating", coerce=int, required=False, empty_value=None)
    rationale = forms.CharField(
        label="Why this rating",
        widget=forms.Textarea,
        max_length=5000,
        required=False,
        error_messages={"max_length": "Keep the reason to 5,000 characters or fewer"},
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Not agreed yet")] + [
            (lv.value, f"{lv.value}. {lv.label}") for lv in levels
        ]

    changed = False

    def clean(self):
        from staffwell.assessments.services import fingerprint

        data = super().clean()
        shown = data.get("orig", "")
        self.changed = fingerprint(data.get("level"), (data.get("rationale") or "").strip()) != shown
        if not self.changed:
            return data
        if data.get("level") is None and "level" not in self.errors:
            self.add_error("level", "Choose the rating both sides agree on")
        if not (data.get("rationale") or "").strip() and "rationale" not in self.errors:
            self.add_error("rationale", "Explain why both sides agreed this rating")
        return data


class RatingForm(forms.Form):
    """One statement on a side's rating page: the level, the side's note, and what was shown."""

    rating = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    orig = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    level = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the levels shown"},
    )
    note = forms.CharField(
        widget=forms.Textarea,
        max_length=5000,
        required=False,
        error_messages={"max_length": "Keep the note to 5,000 characters or fewer"},
    )

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv.value, f"{lv.value}. {lv.label}") for lv in levels]


PAGE_CHANGED = "The statements on this page changed since you opened it. Check them and save again."


def _exact_formset(form, rows: int):
    """A formset of one form per row the page shows, in order (``posted_as_shown`` checks it)."""
    return forms.formset_factory(form, extra=0, max_num=rows, absolute_max=max(rows, 1))


def posted_order(data, prefix: str, field: str) -> list[str] | None:
    """The ``field`` of each form in a posted formset, in the order posted, or None when the
    management data is missing or not a sensible number."""
    raw = data.get(f"{prefix}-TOTAL_FORMS", "")
    if not raw.isdigit() or int(raw) > 1000:
        return None
    return [data.get(f"{prefix}-{i}-{field}", "") for i in range(int(raw))]


def posted_as_shown(formset, ids: list[int], field: str) -> bool:
    """Whether the posted forms are the rows the page showed, in the same order. A page opened
    before the rows changed (or hand-made) is refused with PAGE_CHANGED, never a 500."""
    management = formset.management_form
    if not management.is_valid() or management.cleaned_data["TOTAL_FORMS"] != len(ids):
        return False
    posted = [f.data.get(f.add_prefix(field), "") for f in formset.forms]
    return posted == [str(i) for i in ids]


def many_agreed_formset(rows: int):
    return _exact_formset(ManyAgreedForm, rows)


def rating_formset(rows: int):
    return _exact_formset(RatingForm, rows)
