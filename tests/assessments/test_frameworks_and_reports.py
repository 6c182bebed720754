"""Frameworks as data, evidence, reports, the action plan reminders and the system view."""

import datetime
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from staffwell.assessments import exports, formats, services
from staffwell.assessments.models import Action, Evidence, Framework, SharingSetting
from staffwell.core.permissions import Role
from tests.assessments import helpers
from tests.factories import MembershipFactory, OrganisationFactory, RoleAssignmentFactory


def test_the_2021_framework_ships_with_seven_elements_and_a_four_level_scale(db):
    fw = helpers.framework()
    assert fw.elements.count() == 7
    assert [lv.label for lv in fw.levels.all()] == [
        "Not started",
        "Developing",
        "Established",
        "Embedded and improving",
    ]
    for sub in fw.elements.get(code="1").sub_elements.all():
        assert 3 <= sub.statements.count() <= 5


def test_an_employer_lead_loads_a_framework_in_the_documented_format_as_a_new_version(world, client_for):
    frameworks_url = reverse("assessments:frameworks", kwargs={"org": world.org.slug})
    for _ in range(2):
        upload = SimpleUploadedFile("hswpg.csv", formats.example().encode(), content_type="text/csv")
        assert client_for("lead").post(frameworks_url, {"file": upload}).status_code == 302
    versions = list(Framework.objects.filter(organisation=world.org).values_list("version", flat=True))
    assert sorted(versions) == [1, 2]
    assert client_for("outsider").get(
        reverse(
            "assessments:framework",
            kwargs={
                "org": world.other_org.slug,
                "framework_id": Framework.objects.filter(organisation=world.org).first().pk,
            },
        )
    ).status_code in (403, 404)


def test_a_malformed_framework_file_is_rejected_with_the_line_at_fault_and_nothing_is_loaded(world, client_for):
    bad = formats.example().replace("statement,A.2.1,", "statment,A.2.1,")
    upload = SimpleUploadedFile("bad.csv", bad.encode(), content_type="text/csv")
    response = client_for("lead").post(
        reverse("assessments:frameworks", kwargs={"org": world.org.slug}), {"file": upload}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 12: Unknown type &#39;statment&#39;" in body
    assert "Line 11: Sub-element &#39;A.2&#39; has no statements under it." in body
    assert not Framework.objects.filter(organisation=world.org).exists()


@pytest.mark.parametrize(
    "content,message",
    [
        (b"kind,code\n", "Line 1: The first line must be the header"),
        (b"type,code,text,description\nlevel,1,A,\n", "Line 2: The framework row must come first"),
        (
            b"type,code,text,description\nframework,x-1,X,\nlevel,1,A,\nlevel,1,B,\n",
            "Line 4: Level 1 is given twice (first on line 3).",
        ),
        (b"type,code,text,description\nframework,x-1,X,\n\xff\xfe\n", "Line 3: This line is not UTF-8 text."),
        (
            b"type,code,text,description\nframework,x-1,X,\nlevel,1,A,\nlevel,2,B,\nelement,1,E,\nsub_element,1.1,S,\nstatement,1.1,Dup,\n",
            "Line 7: The code '1.1' is used twice (first on line 6).",
        ),
    ],
)
def test_the_parser_names_the_line_at_fault(content, message):
    with pytest.raises(formats.FrameworkFileError) as exc:
        formats.parse(content)
    assert any(m.startswith(message) for m in exc.value.messages), exc.value.messages


def test_a_cycle_keeps_the_framework_version_it_was_run_on(world):
    cycle = helpers.open_cycle(world)
    from staffwell.assessments import loader

    loader.store(formats.parse(formats.example().encode()), organisation=world.org)
    cycle.refresh_from_db()
    assert cycle.framework == helpers.framework()


def test_evidence_documents_are_checked_and_served_only_to_the_partnership(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cycle = helpers.submitted_cycle(world)
    statement = cycle.statements().first()
    add_url = reverse(
        "assessments:evidence_add", kwargs={"org": world.org.slug, "cycle_id": cycle.pk, "statement_id": statement.pk}
    )
    fake = SimpleUploadedFile("policy.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    response = client_for("rep").post(add_url, {"kind": "document", "title": "Policy", "file": fake})
    assert response.status_code == 400
    assert "does not look like a PDF file" in response.content.decode()
    real = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 small", content_type="application/pdf")
    assert client_for("rep").post(add_url, {"kind": "document", "title": "Policy", "file": real}).status_code == 302
    evidence = Evidence.objects.get(kind="document")
    assert str(tmp_path) in evidence.file.path and "policy" not in evidence.file.name
    download = reverse(
        "assessments:evidence", kwargs={"org": world.org.slug, "cycle_id": cycle.pk, "evidence_id": evidence.pk}
    )
    response = client_for("lead").get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 small"
    assert client_for("admin").get(download).status_code == 403
    assert client_for("outsider").get(download).status_code == 404


def test_spreadsheet_cells_that_start_like_formulas_are_neutralised(world):
    cycle = helpers.submitted_cycle(world)
    helpers.agree_all(cycle, world.users["lead"])
    a = cycle.agreed.first()
    services.save_agreed(
        agreed=a, level=2, rationale='=HYPERLINK("http://evil")', expected_version=a.version, actor=world.users["lead"]
    )
    assert "'=HYPERLINK" in exports.to_csv(cycle)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exports.to_xlsx(cycle)))
    values = [c.value for row in wb["Statements"].iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil")' in values
    assert exports.neutralise("+1") == "'+1" and exports.neutralise("-1") == "'-1" and exports.neutralise("@x") == "'@x"


def test_the_board_report_pdf_renders_with_charts_and_signatories(world, tmp_path):
    previous = helpers.signed_cycle(world, title="Diagnostic 2025")
    cycle = helpers.signed_cycle(world, title="Diagnostic 2026", employer=4, staff=4)
    assert previous.pk != cycle.pk
    pdf = exports.to_pdf(cycle)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(1 for p in image.getdata() if p < 200)
    assert dark > 500, "the first page of the report looks blank"


def test_overdue_actions_are_flagged_and_their_owners_told_once_a_week(world, mailoutbox):
    cycle = helpers.submitted_cycle(world)
    action = services.save_action(
        action=Action(cycle=cycle),
        data={
            "title": "Open rest rooms at night",
            "description": "",
            "measure": "Survey",
            "element": None,
            "statement": None,
            "employer_owner": world.memberships["lead"],
            "staff_owner": world.memberships["rep"],
            "due_date": datetime.date(2020, 1, 1),
        },
        expected_version=None,
        actor=world.users["lead"],
    )
    assert action.is_overdue
    call_command("notify_overdue_actions", stdout=io.StringIO())
    assert len(mailoutbox) == 1 and set(mailoutbox[0].to) == {
        "lead@northgate-test.example",
        "rep@northgate-test.example",
    }
    call_command("notify_overdue_actions", stdout=io.StringIO())
    assert len(mailoutbox) == 1


def test_an_action_started_from_a_report_arrives_with_its_title_filled_in(world, client_for):
    cycle = helpers.submitted_cycle(world)
    new = reverse("assessments:action_new", kwargs={"org": world.org.slug, "cycle_id": cycle.pk})
    body = client_for("lead").get(new, {"title": "HSE survey: improve demands (Medicine)"}).content.decode()
    assert 'value="HSE survey: improve demands (Medicine)"' in body
    assert 'value="HSE survey' not in client_for("lead").get(new).content.decode()


def test_the_action_plan_is_agreed_by_both_sides_and_a_change_needs_agreement_again(world, client_for):
    cycle = helpers.submitted_cycle(world)
    new = reverse("assessments:action_new", kwargs={"org": world.org.slug, "cycle_id": cycle.pk})
    response = client_for("lead").post(new, {"title": "Rest rooms", "measure": "", "due_date": "31/13/2027"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the measure" in body and "Enter a real date" in body and 'value="Rest rooms"' in body
    client_for("lead").post(
        new,
        {
            "title": "Rest rooms",
            "measure": "Survey",
            "due_date": "31/03/2027",
            "employer_owner": world.memberships["lead"].pk,
        },
    )
    agree = reverse("assessments:plan_agree", kwargs={"org": world.org.slug, "cycle_id": cycle.pk})
    client_for("lead").post(agree)
    client_for("rep").post(agree)
    cycle.refresh_from_db()
    assert services.plan_is_agreed(cycle)
    action = cycle.actions.get()
    client_for("rep").post(
        reverse("assessments:action", kwargs={"org": world.org.slug, "cycle_id": cycle.pk, "action_id": action.pk}),
        {
            "form": "action",
            "title": "Rest rooms on every ward",
            "measure": "Survey",
            "due_date": "31/03/2027",
            "employer_owner": world.memberships["lead"].pk,
            "version": action.version,
        },
    )
    cycle.refresh_from_db()
    assert not services.plan_is_agreed(cycle)


def test_the_icb_lead_sees_only_organisations_that_chose_to_share(world, client_for):
    from django.test import Client

    cycle = helpers.signed_cycle(world)
    icb = OrganisationFactory(kind="icb", ics=world.ics, slug="icb-test")
    icb_lead = MembershipFactory(organisation=icb)
    RoleAssignmentFactory(membership=icb_lead, role=Role.EMPLOYER_LEAD)
    c = Client()
    c.force_login(icb_lead.user)
    system_url = reverse("assessments:system", kwargs={"org": icb.slug})
    assert world.org.name not in c.get(system_url).content.decode()
    sharing_url = reverse("assessments:sharing", kwargs={"org": world.org.slug})
    client_for("rep").post(sharing_url, {"action": "propose"})
    assert not SharingSetting.objects.get(organisation=world.org).share_with_ics
    assert world.org.name not in c.get(system_url).content.decode()
    client_for("lead").post(sharing_url, {"action": "agree"})
    assert SharingSetting.objects.get(organisation=world.org).share_with_ics
    body = c.get(system_url).content.decode()
    assert world.org.name in body and cycle.title in body
    assert client_for("lead").get(reverse("assessments:system", kwargs={"org": world.org.slug})).status_code == 403
