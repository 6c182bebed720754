"""The one date field: the NHS.UK date input, with errors that say what is wrong."""

import datetime as dt

import pytest
from django import forms
from django.template import engines
from django.utils import timezone

from staffwell.core.forms import DateField


class When(forms.Form):
    when = DateField(label="When it happened", past=True, error_messages={"required": "Enter when it happened"})


class Until(forms.Form):
    until = DateField(label="Until", required=False, future=True)


def parts(day, month, year, name="when"):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def render(form) -> str:
    template = engines["jinja2"].from_string(
        '{% import "forms.jinja" as forms %}{{ forms.error_summary(form) }}{{ forms.date(form.when) }}'
    )
    return template.render({"form": form})


def test_a_date_typed_in_three_boxes_is_read_as_that_date():
    form = When(parts("7", "3", "2025"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2025, 3, 7)


@pytest.mark.parametrize(
    ("data", "message", "first_box"),
    [
        (parts("7", "", "2025"), "The date must include a month", "month"),
        (parts("", "", "2025"), "The date must include a day and month", "day"),
        (parts("7", "3", ""), "The date must include a year", "year"),
        (parts("31", "2", "2025"), "Enter a real date, for example 27 3 2027", "day"),
        (parts("1", "13", "2025"), "Enter a real date, for example 27 3 2027", "month"),
        (parts("1", "x", "2025"), "Enter a real date, for example 27 3 2027", "month"),
        (parts("1", "3", "25"), "The year must have 4 numbers, for example 2027", "year"),
        (parts("", "", ""), "Enter when it happened", "day"),
    ],
)
def test_each_mistake_gets_its_own_message_and_the_summary_links_to_the_box_to_fix(data, message, first_box):
    form = When(data)
    assert not form.is_valid()
    assert form.errors["when"] == [message]
    html = render(form)
    assert f'href="#id_when-{first_box}"' in html
    assert f'id="id_when-{first_box}"' in html
    assert message in html


def test_a_date_that_must_be_in_the_past_says_so():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = When(parts(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)))
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter a date in the past"]
    assert Until(parts("1", "1", "2020", name="until")).errors["until"] == ["Enter a date in the future"]


def test_what_was_typed_is_kept_in_the_boxes_and_only_the_wrong_box_is_marked():
    html = render(When(parts("7", "", "2025")))
    assert 'name="when-day" type="text" value="7"' in " ".join(html.split())
    assert 'name="when-year" type="text" value="2025"' in " ".join(html.split())
    month = html[html.index('id="id_when-month"') - 200 : html.index('id="id_when-month"')]
    day = html[html.index('id="id_when-day"') - 200 : html.index('id="id_when-day"')]
    assert "nhsuk-input--error" in month and "nhsuk-input--error" not in day


def test_the_boxes_sit_in_a_fieldset_named_by_the_label_and_show_a_saved_date():
    html = render(When(initial={"when": dt.date(2024, 11, 5)}))
    assert "nhsuk-fieldset__legend" in html and "When it happened" in html
    flat = " ".join(html.split())
    assert 'value="5"' in flat and 'value="11"' in flat and 'value="2024"' in flat
    assert 'type="date"' not in html


def test_a_whole_date_in_one_value_still_works_for_scripts_and_old_links():
    assert When({"when": "2025-03-07"}).is_valid()
    typed = When({"when": "07/03/2025"})
    assert typed.is_valid() and typed.cleaned_data["when"] == dt.date(2025, 3, 7)
    assert When({"when": "not a date"}).errors["when"] == ["Enter a real date, for example 27 3 2027"]
    assert Until({}).is_valid()


def test_a_pdf_link_says_it_takes_a_few_seconds_before_it_is_clicked():
    template = engines["jinja2"].from_string(
        '{% from "links.jinja" import pdf_link %}{{ pdf_link("/report.pdf", "Board report", download=True) }}'
    )
    html = template.render({})
    assert '<a href="/report.pdf" data-pdf-link download>Board report (PDF, may take a few seconds)</a>' in html
    assert 'role="status" data-pdf-status' in html


def test_only_one_navigation_item_is_current_even_when_two_share_an_address(rf, world, monkeypatch):
    from staffwell.core import navigation
    from staffwell.core.navigation import NavItem

    monkeypatch.setattr(
        navigation,
        "items_for",
        lambda user, membership: [NavItem("Library", "/library/"), NavItem("Reading", "/library/")],
    )
    request = rf.get("/library/sleep/")
    request.user = world.users["staff"]
    items = navigation.navigation_for(request)
    assert [i["current"] for i in items] == [False, True, False]
