from django_tasks import task

from staffwell.accounts import onboarding
from staffwell.accounts.models import AccountLink, User


@task()
def send_invitations(org_id: int, user_ids: list[int], actor_id: int | None = None) -> int:
    from staffwell.organisations.models import Organisation

    org = Organisation.objects.get(pk=org_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return onboarding.send_invitations(org, user_ids, actor=actor)


@task()
def ask_to_confirm(org_id: int, link_ids: list[int]) -> None:
    from staffwell.organisations.models import Organisation

    org = Organisation.objects.get(pk=org_id)
    onboarding.ask_to_confirm(org, list(AccountLink.objects.filter(pk__in=link_ids).select_related("user")))
