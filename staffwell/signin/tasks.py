from django_tasks import task

from staffwell.accounts.models import AccountLink, User
from staffwell.organisations.models import Organisation
from staffwell.signin import onboarding


@task()
def send_invitations(org_id: int, user_ids: list[int], actor_id: int | None = None) -> int:
    org = Organisation.objects.get(pk=org_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return onboarding.send_invitations(org, user_ids, actor=actor)


@task()
def ask_to_confirm(org_id: int, link_ids: list[int]) -> None:
    org = Organisation.objects.get(pk=org_id)
    onboarding.ask_to_confirm(org, list(AccountLink.objects.filter(pk__in=link_ids).select_related("user")))


def enqueue_onboarding(*, org, user_ids: list[int], link_ids: list[int], actor=None) -> None:
    """After a staff import commits: invite the new accounts, and ask the accounts that belong
    elsewhere to confirm (``organisations.hooks.on_people_added``)."""
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    if user_ids:
        send_invitations.enqueue(org.pk, user_ids, actor_id)
    if link_ids:
        ask_to_confirm.enqueue(org.pk, link_ids)
