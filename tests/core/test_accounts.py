"""Sign-in by email and password, lockout after repeated failures, password reset by email."""

import re

import pytest
from django.core import mail

from staffwell.core.models import AuditEvent


def sign_in(client, email, password):
    return client.post("/sign-in/", {"username": email, "password": password})


def test_a_person_signs_in_with_their_email_in_any_case(world, client):
    response = sign_in(client, "STAFF@Northgate-Test.example", "correct horse battery staple")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_keeps_the_email_and_says_what_to_do(world, client):
    response = sign_in(client, "staff@northgate-test.example", "nope")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct email address and password" in page
    assert 'value="staff@northgate-test.example"' in page


def test_five_failures_lock_the_account_even_with_the_right_password(world, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for attempt in range(5):
        # Changing the case of the address does not dodge the count.
        sign_in(client, "staff@northgate-test.example" if attempt % 2 else "STAFF@northgate-test.example", "wrong")
    response = sign_in(client, "staff@northgate-test.example", "correct horse battery staple")
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    # Another account is not affected (we lock accounts, not the whole trust's IP address).
    assert sign_in(client, "lead@northgate-test.example", "correct horse battery staple").status_code == 302


def test_password_reset_sends_a_working_link_by_email(world, client):
    response = client.post("/password-reset/", {"email": "staff@northgate-test.example"})
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Set your staffwell password"
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Set a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a much longer new password", "new_password2": "a much longer new password"},
    )
    assert done.status_code == 302
    assert sign_in(client, "staff@northgate-test.example", "a much longer new password").status_code == 302


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(world, client):
    response = client.post("/password-reset/", {"email": "nobody@nowhere.example"})
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    assert mail.outbox == []


def test_an_expired_or_used_reset_link_says_so(world, client):
    page = client.get("/password-reset/MQ/bad-token/").content.decode()
    assert "This link has expired or been used" in page


def test_signing_out_needs_a_post_from_the_confirmation_page(world, client_for):
    client = client_for("staff")
    assert client.get("/sign-out/").status_code == 200
    signed_out = client.post("/sign-out/done/")
    assert signed_out.status_code == 200 and "You have signed out" in signed_out.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_login_is_required_by_default(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/"


def test_audit_actions_must_be_namespaced(world):
    from staffwell.core import audit

    with pytest.raises(ValueError, match="must be namespaced"):
        audit.record("created")
    event = audit.record("assessment.cycle.opened", organisation=world.org)
    assert event.partnership and event.actor_label == "system"
    assert not audit.record("org.unit.created", organisation=world.org).partnership
    assert AuditEvent.objects.count() == 2
