"""The staff list import on good, bad and hostile files: all or nothing, row-level messages."""

import io
import os
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from staffwell.accounts.models import User
from staffwell.core.models import AuditEvent
from staffwell.core.permissions import Role
from staffwell.organisations import imports
from staffwell.organisations.models import Membership, RoleAssignment, StaffImport, Unit

HEADER = "person_id,name,email,unit_path,staff_group,fte,manager_of"
MAX = 10 * 1024 * 1024


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def run_import(org, content: bytes, **kwargs) -> dict:
    kwargs.setdefault("allow_new_units", True)
    return imports.apply(org, imports.parse(imports.decode(content, max_bytes=MAX)), **kwargs)


def errors_for(content: bytes, max_bytes: int = MAX) -> list[str]:
    with pytest.raises(imports.ImportRejected) as caught:
        imports.parse(imports.decode(content, max_bytes=max_bytes))
    return caught.value.errors


GOOD = csv_bytes(
    "1001,Amy Adams,amy.adams@trust.example,Medicine > Cardiology > Ward 7,Nursing and Midwifery Registered,1,",
    "1002,Ben Brown,,Estates > Portering,Estates and Ancillary,0.6,",
    "1003,Cat Clarke,cat.clarke@trust.example,Medicine > Cardiology,Medical and Dental,0.8,"
    "Medicine > Cardiology > Ward 7;Medicine > Cardiology",
)


def test_a_good_file_creates_people_units_accounts_and_line_managers(world):
    org = world.org
    summary = run_import(org, GOOD, allow_many_leavers=True)

    assert summary["created"] == 3
    ward = Unit.objects.for_org(org).get(name="Ward 7", parent__name="Cardiology")
    assert ward.full_name() == "Medicine > Cardiology > Ward 7"
    amy = Membership.objects.get(organisation=org, person_id="1001")
    assert amy.unit == ward and amy.user.email == "amy.adams@trust.example"
    assert not amy.user.has_usable_password()  # they set one through the password reset link
    ben = Membership.objects.get(organisation=org, person_id="1002")
    assert ben.user is None and str(ben.fte) == "0.600"
    assert [m.full_name for m in amy.line_managers()] == ["Cat Clarke"]
    assert RoleAssignment.objects.filter(membership__person_id="1003", role=Role.LINE_MANAGER).count() == 2
    assert AuditEvent.objects.filter(organisation=org, action="import.staff.completed").exists()


def test_re_importing_updates_in_place_and_deactivates_leavers_without_deleting_them(world):
    org = world.org
    run_import(org, GOOD, allow_many_leavers=True)
    first_ids = dict(Membership.objects.for_org(org).values_list("person_id", "pk"))
    changed = csv_bytes(
        "1001,Amy Adams-Smith,amy.adams@trust.example,Medicine > Cardiology > Ward 8,Nursing and Midwifery Registered,0.8,",
        "1003,Cat Clarke,cat.clarke@trust.example,Medicine > Cardiology,Medical and Dental,0.8,Medicine > Cardiology",
    )
    summary = run_import(org, changed, allow_many_leavers=True)

    assert summary["created"] == 0 and summary["updated"] == 1 and summary["unchanged"] == 1
    amy = Membership.objects.get(organisation=org, person_id="1001")
    assert amy.pk == first_ids["1001"] and amy.full_name == "Amy Adams-Smith" and amy.unit.name == "Ward 8"
    ben = Membership.objects.get(organisation=org, person_id="1002")
    assert not ben.is_active and ben.left_on is not None
    assert RoleAssignment.objects.filter(membership__person_id="1003", role=Role.LINE_MANAGER).count() == 1
    # Coming back reactivates the same record.
    summary = run_import(org, GOOD, allow_many_leavers=True)
    assert summary["reactivated"] == 1
    assert Membership.objects.get(pk=ben.pk).is_active


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world):
    run_import(world.org, GOOD, allow_many_leavers=True)
    summary = run_import(world.org, GOOD, allow_many_leavers=True)
    assert summary["unchanged"] == 3 and summary["created"] == summary["updated"] == summary["deactivated"] == 0


def test_unit_paths_the_organisation_does_not_have_are_listed_for_the_admin_to_confirm(world):
    org = world.org  # already has Medicine > Ward 7 and Ward 8
    before = Unit.objects.for_org(org).count()
    typo = csv_bytes(
        "1001,Amy Adams,,Medicne > Ward 7,Nursing and Midwifery Registered,1,",
        "1002,Ben Brown,,Medicne > Ward 7,Nursing and Midwifery Registered,1,",
        "1003,Cat Clarke,,Medicine > Ward 8,Nursing and Midwifery Registered,1,Medicine > Ward 9",
    )
    with pytest.raises(imports.ImportRejected) as caught:
        run_import(org, typo, allow_new_units=False)
    errors = caught.value.errors
    assert errors[0].startswith("The file names 2 unit paths that Northgate Test Hospitals NHS Trust does not have.")
    assert "tick 'Create the new units'" in errors[0]
    assert errors[1] == (
        "Row 2 (and 1 more): 'Medicne > Ward 7' is not a unit here yet; the new levels would be 'Medicne > Ward 7'."
    )
    assert errors[2] == "Row 4: 'Medicine > Ward 9' is not a unit here yet; the new level would be 'Ward 9'."
    # Nothing changed: no units, no people
    assert Unit.objects.for_org(org).count() == before
    assert not Membership.objects.for_org(org).filter(person_id__in=["1001", "1002", "1003"]).exists()

    # Confirmed, the same file creates them
    summary = run_import(org, typo, allow_new_units=True, allow_many_leavers=True)
    assert summary["units_created"] == 3 and Unit.objects.for_org(org).filter(name="Medicne").exists()


def test_known_units_in_any_case_and_an_empty_organisations_first_import_need_no_confirmation(world):
    known = csv_bytes("1001,Amy Adams,,medicine > WARD 7,Nursing and Midwifery Registered,1,")
    assert run_import(world.org, known, allow_new_units=False, allow_many_leavers=True)["units_created"] == 0
    from tests.factories import OrganisationFactory

    fresh = OrganisationFactory()
    assert run_import(fresh, GOOD, allow_new_units=False)["units_created"] == 5


def test_on_the_web_new_units_are_refused_with_the_list_until_the_admin_ticks_create(
    world, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for("admin")
    url = reverse("organisations:imports", kwargs={"org": world.org.slug})
    content = csv_bytes("1001,Amy Adams,,Medicne > Ward 7,Nursing and Midwifery Registered,1,")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("staff.csv", content)})
    html = client.get(response.url).content.decode()
    assert "The file was not imported" in html and "&#39;Medicne &gt; Ward 7&#39; is not a unit here yet" in html
    assert 'data-module="nhsuk-error-summary"' in html  # the standard summary, which takes focus
    assert not Unit.objects.for_org(world.org).filter(name="Medicne").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"file": SimpleUploadedFile("staff.csv", content), "allow_new_units": "on", "allow_many_leavers": "on"},
        )
    assert Unit.objects.for_org(world.org).filter(name="Medicne").exists()
    assert StaffImport.objects.filter(allow_new_units=True, status="completed").exists()


def test_a_file_that_would_mark_many_staff_as_leavers_is_refused_unless_confirmed(world):
    run_import(world.org, GOOD, allow_many_leavers=True)
    rows = [f"{2000 + i},Person {i},,Medicine > Ward {i % 3},Nursing and Midwifery Registered,1," for i in range(20)]
    run_import(world.org, csv_bytes(*rows), allow_many_leavers=True)
    partial = csv_bytes(*rows[:10])
    with pytest.raises(imports.ImportRejected) as caught:
        run_import(world.org, partial)
    assert "would mark 10 of 20 current staff as leavers" in caught.value.errors[0]
    assert Membership.objects.for_org(world.org).active().filter(person_id__startswith="20").count() == 20


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            '1001,Amy,,Medicine,Nursing and Midwifery Registered,"1,2",',
            "Row 2: FTE '1,2' is not a number between 0 and 1",
        ),
        (
            "1001,Amy,,Medicine,Nursing and Midwifery Registered,1.5,",
            "Row 2: FTE '1.5' is not a number between 0 and 1",
        ),
        ("1001,Amy,,Medicine,Nursing and Midwifery Registered,,", "Row 2: FTE '' is not a number between 0 and 1"),
        ("1001,Amy,,Medicine,Nurses,1,", "Row 2: staff_group 'Nurses' is not an ESR staff group"),
        (
            "1001,Amy,not-an-email,Medicine,Nursing and Midwifery Registered,1,",
            "Row 2: the email address is not a valid email address",
        ),
        (",Amy,,Medicine,Nursing and Midwifery Registered,1,", "Row 2: person_id is empty."),
        ("1001,,,Medicine,Nursing and Midwifery Registered,1,", "Row 2: name is empty."),
        ("1001,Amy,,,Nursing and Midwifery Registered,1,", "Row 2: unit_path is empty."),
        (
            "1001,Amy,,Medicine >  > Ward 7,Nursing and Midwifery Registered,1,",
            "Row 2: unit_path 'Medicine >  > Ward 7' has an empty level",
        ),
        (
            '1001,=HYPERLINK("http://evil.example"),,Medicine,Nursing and Midwifery Registered,1,',
            "Row 2: name starts with '='",
        ),
        ("1001,Amy,,@SUM(A1),Nursing and Midwifery Registered,1,", "Row 2: unit_path '@SUM(A1)' starts with '@'"),
        ("1001,+cmd|' /C calc'!A0,,Medicine,Nursing and Midwifery Registered,1,", "Row 2: name starts with '+'"),
        (
            "1001,Amy,,Medicine,Nursing and Midwifery Registered",
            "Row 2: has 5 values but the first row names 7 columns.",
        ),
    ],
)
def test_a_bad_row_gets_a_specific_message_naming_the_row(row, message):
    errors = errors_for(csv_bytes(row))
    assert any(message in e for e in errors), errors


def test_every_bad_row_is_reported_and_duplicates_name_the_first_row():
    content = csv_bytes(
        "1001,Amy,amy@trust.example,Medicine,Nursing and Midwifery Registered,1,",
        "1001,Amy Again,amy@trust.example,Medicine,Nursing and Midwifery Registered,1,",
        "1002,Bob,bob@trust.example,Medicine,Nursing and Midwifery Registered,2,",
    )
    errors = errors_for(content)
    assert "Row 3: person_id '1001' is also on row 2." in errors
    assert "Row 3: the email address is also on row 2." in errors
    assert any(e.startswith("Row 4: FTE '2'") for e in errors)


def test_a_file_with_any_bad_row_changes_nothing(world):
    before = Membership.objects.count(), Unit.objects.count(), User.objects.count()
    content = csv_bytes(
        "1001,Amy Adams,amy@trust.example,Surgery > Theatres,Nursing and Midwifery Registered,1,",
        "1002,Ben Brown,,Surgery > Theatres,Estates and Ancillary,one,",
    )
    with pytest.raises(imports.ImportRejected):
        run_import(world.org, content)
    assert (Membership.objects.count(), Unit.objects.count(), User.objects.count()) == before


def test_missing_columns_are_named():
    errors = errors_for(b"person_id,name,email\n1,Amy,amy@trust.example\n")
    assert errors == [
        "The file is missing these columns: unit_path, staff_group, fte. The first row must name the columns "
        "person_id, name, email, unit_path, staff_group, fte, manager_of (email and manager_of may be left empty)."
    ]


def test_a_file_in_windows_1252_is_refused_with_a_way_to_fix_it():
    content = csv_bytes("1001,Zoë Ørsted,,Medicine,Nursing and Midwifery Registered,1,").decode().encode("cp1252")
    errors = errors_for(content)
    assert errors[0].startswith("The file is not in UTF-8 text encoding (the first problem is on line 2).")
    assert "CSV UTF-8" in errors[0]


def test_a_utf8_file_with_a_byte_order_mark_from_excel_is_accepted():
    content = b"\xef\xbb\xbf" + csv_bytes("1001,Zoë Ørsted,,Medicine,Nursing and Midwifery Registered,1,")
    rows = imports.parse(imports.decode(content, max_bytes=MAX))
    assert rows[0].name == "Zoë Ørsted"


def test_fifty_megabytes_of_junk_is_refused_by_size_before_it_is_read():
    junk = os.urandom(1024) * (50 * 1024)
    errors = errors_for(junk)
    assert errors == [
        "The file is 50.0 MB. The largest staff list staffwell accepts is 10.0 MB. Check you chose the right file."
    ]


def test_binary_junk_within_the_size_limit_is_refused_as_not_a_csv():
    assert "not a CSV text file" in errors_for(b"PK\x03\x04" + bytes(range(256)) * 10)[0]


def test_random_text_junk_is_refused_without_a_crash():
    rng = random.Random(1)
    junk = "".join(rng.choice('abc,"\n\r=;>') for _ in range(20000)).encode()
    errors = errors_for(junk)
    assert errors  # a clear message, not an exception


def test_an_empty_file_and_a_header_only_file_are_refused_clearly():
    assert errors_for(b"") == ["The file is empty."]
    assert errors_for(csv_bytes()) == ["The file names the columns but has no rows of staff."]


def test_an_email_already_linked_to_another_person_in_the_organisation_is_refused(world):
    staff = world.memberships["staff"]
    content = csv_bytes(f"9999,Someone Else,{staff.email},Medicine,Nursing and Midwifery Registered,1,")
    with pytest.raises(imports.ImportRejected) as caught:
        run_import(world.org, content, allow_many_leavers=True)
    assert caught.value.errors == [
        f"Row 2: the email address belongs to person_id '{staff.person_id}' in staffwell already."
    ]


def test_twenty_thousand_rows_import_with_progress_reported(world):
    directorates = [f"Directorate {d}" for d in range(10)]
    rows = []
    for i in range(20_000):
        unit = f"{directorates[i % 10]} > Department {i % 50} > Team {i % 1000}"
        email = f"p{i}@big.example" if i % 3 else ""
        manages = unit if i < 1000 else ""
        rows.append(f"{500000 + i},Person {i},{email},{unit},Nursing and Midwifery Registered,1,{manages}")
    content = csv_bytes(*rows)
    seen: list[tuple[int, int]] = []
    parsed = imports.parse(imports.decode(content, max_bytes=MAX), on_progress=lambda d, t: seen.append((d, t)))
    summary = imports.apply(world.org, parsed, allow_many_leavers=True, allow_new_units=True)

    assert summary["created"] == 20_000 and summary["managers"] == 1000
    assert len(seen) > 10 and seen[-1] == (20_000, 20_000) and all(t == 20_000 for _, t in seen)
    assert Unit.objects.for_org(world.org).filter(depth=2).count() == 1000


def test_the_web_upload_checks_in_the_background_and_shows_row_errors(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    upload = io.BytesIO(csv_bytes('1001,Amy,,Medicine,Nursing and Midwifery Registered,"1,2",'))
    upload.name = "staff.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/o/{world.org.slug}/imports/", {"file": upload})
    staff_import = StaffImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{staff_import.pk}/")
    assert staff_import.status == StaffImport.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "The file was not imported" in page and "Row 2: FTE &#39;1,2&#39; is not a number between 0 and 1" in page
    progress = client.get(f"/o/{world.org.slug}/imports/{staff_import.pk}/progress.json").json()
    assert progress == {"status": "failed", "text": "Not imported", "percent": 0, "finished": True}


def test_the_web_upload_refuses_a_file_over_the_limit_before_storing_it(world, client_for, settings):
    settings.STAFFWELL_IMPORT_MAX_BYTES = 1024
    upload = io.BytesIO(b"x" * 4096)
    upload.name = "staff.csv"
    response = client_for("admin").post(f"/o/{world.org.slug}/imports/", {"file": upload})
    assert response.status_code == 200
    assert "The largest staff list staffwell accepts is 1 KB" in response.content.decode()
    assert not StaffImport.objects.exists()


def test_the_web_upload_refuses_a_file_that_is_not_a_csv_by_name(world, client_for):
    upload = io.BytesIO(b"person_id\n")
    upload.name = "staff.xlsx"
    response = client_for("admin").post(f"/o/{world.org.slug}/imports/", {"file": upload})
    assert "The file must be a CSV file (ending .csv)" in response.content.decode()


def test_an_import_from_another_organisation_is_not_found(world, client_for):
    other = StaffImport.objects.create(organisation=world.other_org, filename="theirs.csv", content=b"")
    assert client_for("admin").get(f"/o/{world.org.slug}/imports/{other.pk}/").status_code == 404
    assert client_for("admin").get(f"/o/{world.org.slug}/imports/{other.pk}/progress.json").status_code == 404


def test_the_management_command_imports_and_reports(world, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(GOOD)
    with pytest.raises(CommandError):  # Cardiology and Estates are new to the trust
        call_command("import_staff", world.org.slug, str(path), "--allow-many-leavers")
    assert "'Medicine > Cardiology > Ward 7' is not a unit here yet" in capsys.readouterr().err
    call_command("import_staff", world.org.slug, str(path), "--allow-many-leavers", "--allow-new-units")
    out = capsys.readouterr().out
    assert "Checked 3 of 3 rows" in out and "Imported. rows: 3, created: 3" in out


def test_the_management_command_check_mode_changes_nothing(world, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(GOOD)
    call_command("import_staff", world.org.ods_code, str(path), "--check")
    assert "3 rows are fine. Nothing was changed (--check)." in capsys.readouterr().out
    assert not Membership.objects.filter(person_id="1001").exists()


def test_the_management_command_lists_row_errors_and_fails(world, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_bytes('1001,Amy,,Medicine,Nursing and Midwifery Registered,"1,2",'))
    with pytest.raises(CommandError, match=r"Not imported: 1 problem\(s\). Nothing was changed."):
        call_command("import_staff", world.org.slug, str(path))
    assert "Row 2: FTE '1,2' is not a number between 0 and 1" in capsys.readouterr().err


def test_a_refused_upload_keeps_no_personal_data(world, client_for, django_capture_on_commit_callbacks):
    """The file, names and email addresses of a refused upload are not kept (only the row-level reasons)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    content = csv_bytes(
        "1001,Wendy Withheld,wendy.withheld@trust.example,Medicine,Nursing and Midwifery Registered,1,",
        "1002,=Xavier Formula,xavier@trust.example,Medicine,Nursing and Midwifery Registered,1,",
        "1003,Yara Dup,wendy.withheld@trust.example,Medicine,Nursing and Midwifery Registered,1,",
        "1004,Zed Bad,not-an-email,Medicine,Nursing and Midwifery Registered,1,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for("admin").post(
            reverse("organisations:imports", kwargs={"org": world.org.slug}),
            {"file": SimpleUploadedFile("staff.csv", content, "text/csv")},
        )
    assert r.status_code == 302
    staff_import = StaffImport.objects.get()
    assert staff_import.status == StaffImport.Status.FAILED and len(staff_import.errors) == 3
    assert bytes(staff_import.content) == b""
    kept = repr((staff_import.errors, staff_import.summary, list(AuditEvent.objects.values_list("data", flat=True))))
    for personal in ("Wendy", "Withheld", "wendy.withheld", "Xavier", "xavier@", "Yara", "not-an-email"):
        assert personal not in kept, personal
