from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import Perm


def org_items(org_slug: str) -> list[NavItem]:
    return [
        NavItem(
            "Sickness absence",
            reverse("absence:overview", kwargs={"org": org_slug}),
            perms=(Perm.VIEW_ORG_AGGREGATES,),
            description="Absence rates, reasons and Making Data Count charts, the same for both sides.",
            in_header=False,
            order=47,
        ),
        NavItem(
            "Import sickness absence",
            reverse("absence:upload", kwargs={"org": org_slug}),
            perms=(Perm.IMPORT_STAFF,),
            description="Upload an ESR absence extract: it is reduced to counts and the rows are not kept.",
            in_header=False,
            order=48,
        ),
    ]
