import json

from django.urls import reverse

from staffwell.core.models import AuditEvent
from staffwell.records import services
from staffwell.records.access import shared_or_404
from staffwell.records.models import Grant


def _share_and_read(world):
    staff = world.users["staff"]
    candidate = services.share_candidates(staff)[0]
    services.grant(owner=staff, candidate=candidate, obj=world.memberships["staff"], kind_key="testrecord")
    shared_or_404("testrecord", viewer=candidate.user, pk=world.memberships["staff"].pk)


def test_the_json_export_holds_every_registered_apps_data_what_is_shared_and_who_looked(
    world, membership_kind, test_owner_data, client_for
):
    _share_and_read(world)
    response = client_for("staff").get(reverse("records:export_json"))
    assert response["Content-Disposition"].startswith('attachment; filename="staffwell-my-records-')
    data = json.loads(response.content)
    assert data["sections"]["testapp"]["data"] == {"things": [{"note": "note of Staff Person"}]}
    assert data["sharing"][0]["what"] == "Test record"
    assert data["access_log"][0]["relationship"] == "your line manager"


def test_the_pdf_export_is_a_pdf(world, test_owner_data, client_for):
    response = client_for("staff").get(reverse("records:export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_erasing_needs_the_word_erase_and_loses_nothing_otherwise(world, test_owner_data, erased_log, client_for):
    response = client_for("staff").post(reverse("records:erase"), {"confirm": "yes"})
    assert response.status_code == 400
    assert "Type the word ERASE to confirm. Nothing has been erased." in response.content.decode()
    assert erased_log == []


def test_erasing_removes_every_apps_records_the_grants_and_the_access_log_and_keeps_a_contentless_event(
    world, membership_kind, test_owner_data, erased_log, client_for
):
    _share_and_read(world)
    staff = world.users["staff"]
    response = client_for("staff").post(reverse("records:erase"), {"confirm": "erase"})
    assert response.status_code == 302
    assert erased_log == [staff.pk]
    assert not Grant.objects.filter(owner=staff).exists()
    events = list(AuditEvent.objects.filter(owner=staff))
    assert [e.action for e in events] == ["records.erasure.completed"]
    counts = events[0].data["counts"]
    assert (counts["testapp"], counts["grants"], counts["access_log_entries"]) == (3, 1, 2)
    assert events[0].object_label == ""


def test_the_my_data_pages_are_the_signed_in_persons_own(world, client_for):
    for name in ("records:my_data", "records:sharing", "records:access_log", "records:erase"):
        assert client_for("staff").get(reverse(name)).status_code == 200
        assert client_for("anonymous").get(reverse(name)).status_code == 302
