"""Look-alike email addresses in a staff list (found by an attack): full-width letters or a
long s would make a second account for the same person, whose failed sign-ins lock them out."""

import pytest

from staffwell.accounts.models import User
from tests.organisations.test_staff_import import csv_bytes, errors_for, run_import


@pytest.mark.parametrize(
    "email",
    [
        "amy.adam\u017f@trust.example",
        "amy.adams@\uff54rust.example",
        "\uff41my.adams@trust.example",
        "amy@trust.exam\u212ale",
    ],
)
def test_an_email_with_look_alike_letters_is_refused_with_the_row(email):
    errors = errors_for(csv_bytes(f"1001,Amy Adams,{email},Medicine,Nursing and Midwifery Registered,1,"))
    assert any(e.startswith("Row 2: the email address has look-alike characters") for e in errors)


def test_the_domain_is_case_folded_so_one_person_has_one_account(world):
    row = "1001,Amy Adams,Amy.Adams@TRUST.Example,Medicine,Nursing and Midwifery Registered,1,"
    run_import(world.org, csv_bytes(row), allow_many_leavers=True)
    assert list(User.objects.filter(email__icontains="amy").values_list("email", flat=True)) == [
        "amy.adams@trust.example"
    ]
