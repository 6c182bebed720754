"""Form fields every app shares.

``DateField`` is the one way a person enters a date: the NHS.UK date input (three boxes,
day, month and year) rendered by ``forms.date(field)`` in ``jinja2/forms.jinja``. Its errors
say exactly what is wrong ("The date must include a month", "Enter a date in the past"), and
the error summary links to the first box that needs fixing.
"""

import datetime as dt

from django import forms
from django.utils import timezone

PARTS = ("day", "month", "year")
# A whole date typed in one box still works (older bookmarks, scripts, tests).
WHOLE_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %m %Y", "%d-%m-%Y"]


class DatePartsInput(forms.Widget):
    """Three boxes named ``<name>-day``, ``<name>-month`` and ``<name>-year``."""

    # Set by DateField.clean: which boxes the error is about (the summary links to the first).
    error_parts: tuple[str, ...] = ()

    def value_from_datadict(self, data, files, name):
        parts = {part: data.get(f"{name}-{part}") for part in PARTS}
        if any(value is not None for value in parts.values()):
            return {part: (value or "").strip() for part, value in parts.items()}
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)

    def id_for_label(self, id_):
        if not id_:
            return id_
        return f"{id_}-{(self.error_parts or PARTS)[0]}"

    def render(self, name, value, attrs=None, renderer=None):  # pragma: no cover - templates use forms.date
        raise NotImplementedError("Render a DateField with forms.date(field) in forms.jinja.")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else " and ".join(words)


class DateField(forms.DateField):
    """A date entered in the NHS.UK date input, with specific errors.

    ``past=True``: the date must be today or earlier ("Enter a date in the past").
    ``future=True``: the date must be today or later ("Enter a date in the future").
    A form's own ``clean_<field>`` can add stricter rules with its own words.
    """

    widget = DatePartsInput
    default_error_messages = {
        "required": "Enter a date",
        "invalid": "Enter a real date, for example 27 3 2027",
        "year": "The year must have 4 numbers, for example 2027",
        "past": "Enter a date in the past",
        "future": "Enter a date in the future",
    }

    def __init__(self, *, past: bool = False, future: bool = False, **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(input_formats=WHOLE_DATE_FORMATS, **kwargs)
        self.past = past
        self.future = future

    def _fail(self, code: str, parts: tuple[str, ...] = PARTS, message: str | None = None):
        self.widget.error_parts = parts
        raise forms.ValidationError(message or self.error_messages[code], code=code)

    def to_python(self, value):
        self.widget.error_parts = ()
        if isinstance(value, dict):
            return self._from_parts(value)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if value in self.empty_values:
            return None
        try:
            return super().to_python(value)
        except forms.ValidationError:
            self._fail("invalid")

    def _from_parts(self, value: dict):
        given = {part: (value.get(part) or "").strip() for part in PARTS}
        if not any(given.values()):
            return None
        missing = [part for part in PARTS if not given[part]]
        if missing:
            self._fail("incomplete", tuple(missing), f"The date must include a {_and(missing)}")
        not_numbers = tuple(part for part in PARTS if not given[part].isdigit())
        if not_numbers:
            self._fail("invalid", not_numbers)
        if len(given["year"]) != 4:
            self._fail("year", ("year",))
        try:
            return dt.date(int(given["year"]), int(given["month"]), int(given["day"]))
        except ValueError:
            month = int(given["month"])
            self._fail("invalid", ("month",) if not 1 <= month <= 12 else ("day",))

    def validate(self, value):
        if value in self.empty_values and self.required:
            self.widget.error_parts = ()
        super().validate(value)
        today = timezone.localdate()
        if value and self.past and value > today:
            self._fail("past")
        if value and self.future and value < today:
            self._fail("future")

    def prepare_value(self, value):
        """What the three boxes show: what the person typed, or the saved date."""
        if isinstance(value, dict):
            return {part: value.get(part, "") for part in PARTS}
        if isinstance(value, str) and value:
            try:
                value = super().to_python(value)
            except forms.ValidationError:
                return {"day": "", "month": "", "year": ""}
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return {"day": "", "month": "", "year": ""}

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True
