"""NHS England's published sickness absence CSVs as comparison data."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from staffwell.absence import national
from staffwell.absence.models import NationalFigure, NationalRelease
from staffwell.organisations.imports import ImportRejected

pytestmark = pytest.mark.django_db

CURRENT = (
    "DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ORG_CODE,ORG_NAME,ORG_TYPE,FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,"
    "SICKNESS_ABSENCE_RATE_PERCENT\n"
    "31/01/2025,Y63,North East and Yorkshire,{ods},Northgate,Acute,5700,100000,5.7\n"
    "31/01/2025,Y63,North East and Yorkshire,RAA,Other Acute,Acute,400,10000,4.0\n"
    "31/01/2025,Y63,North East and Yorkshire,RBB,Ambulance,Ambulance,750,10000,7.5\n"
    "31/01/2025,Y63,North East and Yorkshire,RCC,Tiny,Acute,,,\n"
)
PRE_2019 = "Date,Org Code,Org Name,Org Type,FTE Days Sick,FTE Days Available,SA Rate (%)\n2014-NOV,RAA,Other,Acute,40,1000,4.0\n"
REASON = "DATE,STAFF_GROUP,REASON,FTE_DAYS_LOST,FTE_DAYS_AVAILABLE\n31/01/2025,All staff groups,S10 Anxiety/stress/depression/other psychiatric illnesses,638900,0\n"


def test_the_current_organisation_file_loads_with_source_and_date_and_feeds_the_comparison(world):
    release = national.load(CURRENT.format(ods=world.org.ods_code).encode(), filename="org.csv",
                            source="NHS Sickness Absence Rates, January 2025", published_on=datetime.date(2025, 4, 24))  # fmt: skip
    assert release.kind == NationalRelease.Kind.ORGANISATION and release.rows == 4
    table = national.comparison(org_code=world.org.ods_code)
    assert table["england"].value == round(100 * 6850 / 120000, 2)
    assert table["own"]["rate"].value == 5.7
    assert table["peers"].value == round(100 * 6100 / 110000, 2)
    tiny = next(r for r in table["rows"] if r["org_code"] == "RCC")
    assert tiny["rate"].suppressed  # withheld in the file, withheld here
    assert table["position"] == 2 and table["count"] == 3


def test_the_pre_2019_shape_and_the_reason_file_are_accepted():
    old = national.load(PRE_2019.encode(), filename="old.csv", source="Archive")
    assert NationalFigure.objects.get(release=old).month == datetime.date(2014, 11, 1)
    reason = national.load(REASON.encode(), filename="reason.csv", source="Reasons")
    assert reason.kind == NationalRelease.Kind.REASON


def test_a_file_that_is_not_a_published_absence_file_is_refused_and_nothing_kept():
    with pytest.raises(ImportRejected):
        national.load(b"name,score\nA,1\n", filename="x.csv", source="x")
    with pytest.raises(ImportRejected) as exc:
        national.load(b"DATE,ORG_CODE,FTE_DAYS_LOST,FTE_DAYS_AVAILABLE\nsoon,RAA,x,1\n", filename="x.csv", source="x")
    assert "Row 2" in exc.value.errors[0]
    assert not NationalRelease.objects.exists()


def test_the_management_command_and_the_page(world, client_for, tmp_path):
    path = tmp_path / "org.csv"
    path.write_text(CURRENT.format(ods=world.org.ods_code))
    call_command("load_nhse_absence", str(path), "--source", "NHS England, January 2025", "--published", "2025-04-24")
    page = client_for("rep").get(reverse("absence:national", kwargs={"org": world.org.slug})).content.decode()
    assert "Source: NHS England, January 2025" in page and "(you)" in page
