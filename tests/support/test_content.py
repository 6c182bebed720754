"""The library's Second Victim Support and Mersey Care entries lead to the tools, a search
for the old term finds them, and the case study page uses the new words."""

from django.urls import reverse


def test_the_second_victim_support_entry_links_to_asking_for_support(world, client):
    body = client.get(reverse("library:resource", kwargs={"slug": "second-victim-support"})).content.decode()
    assert reverse("support:new") in body and reverse("support:case_study") in body


def test_the_mersey_care_case_study_links_to_the_tools(world, client):
    body = client.get(
        reverse("library:case_study", kwargs={"slug": "mersey-care-just-and-learning-culture"})
    ).content.decode()
    assert reverse("support:case_study") in body


def test_other_library_entries_do_not_show_the_links(world, client):
    body = client.get(reverse("library:resource", kwargs={"slug": "liberate"})).content.decode()
    assert reverse("support:case_study") not in body


def test_a_search_for_second_victim_finds_the_entry_that_leads_to_the_tools(world, client):
    body = client.get(reverse("library:index"), {"q": "second victim"}).content.decode()
    assert reverse("library:resource", kwargs={"slug": "second-victim-support"}) in body


def test_the_case_study_says_staff_affected_by_patient_safety_incidents(world, client):
    body = client.get(reverse("support:case_study")).content.decode()
    assert "staff affected by patient safety incidents" in body and "second victim" in body
