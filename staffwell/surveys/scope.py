"""Who a campaign asks, and how the unit stored on each response is coarsened so that
every stored unit and staff group stands for at least the minimum reporting group of
invited people (docs/survey-anonymity.md)."""

from collections import Counter, defaultdict

from staffwell.organisations.models import Membership, Unit
from staffwell.surveys.models import Campaign


def in_scope(campaign: Campaign):
    """Active members in the campaign's units and every unit below them."""
    units = list(campaign.units.all())
    ids: set[int] = set()
    for unit in units:
        ids |= set(Membership.objects.active().in_subtree(unit).values_list("pk", flat=True))
    return Membership.objects.filter(pk__in=ids).select_related("unit")


def coarsen(*, member_units: Counter, roots: list[Unit], k: int) -> dict[int, int | None]:
    """Map each member unit to the unit stored on responses.

    Bottom up, a unit keeps its own people (and those passed up from small units below it)
    if they number at least ``k``; otherwise they pass to its parent. People left over at a
    campaign root are merged with the whole root, and if the campaign's people left at
    organisation level are fewer than ``k``, everyone is stored at organisation level. So
    each stored unit stands for at least ``k`` invited people, or for nobody.
    """
    if not member_units:
        return {}
    units = {u.pk: u for r in roots for u in r.subtree()}
    children: dict[int, list[int]] = defaultdict(list)
    for u in units.values():
        if u.parent_id in units:
            children[u.parent_id].append(u.pk)
    top = [u.pk for u in units.values() if u.parent_id not in units]
    mapping: dict[int, int | None] = {}

    def subtree_ids(uid: int) -> list[int]:
        out = [uid]
        for c in children[uid]:
            out += subtree_ids(c)
        return out

    def visit(uid: int) -> list[int]:
        """Returns the member units whose people are still unassigned below and at uid."""
        pending = [] if not member_units.get(uid) else [uid]
        for c in children[uid]:
            pending += visit(c)
        if sum(member_units.get(p, 0) for p in pending) >= k:
            for p in pending:
                mapping[p] = uid
            return []
        return pending

    leftover_org: list[int] = []
    for uid in top:
        pending = visit(uid)
        if pending:
            everyone = [p for p in subtree_ids(uid) if member_units.get(p)]
            if sum(member_units[p] for p in everyone) >= k:
                for p in everyone:
                    mapping[p] = uid
            else:
                leftover_org += everyone
    for p in leftover_org:
        mapping[p] = None
    org_level = sum(member_units[p] for p in leftover_org)
    if 0 < org_level < k:
        mapping = dict.fromkeys(mapping, None)
    return mapping


def allowed_bands(groups: Counter, k: int) -> list[str]:
    """Staff groups that may be stored in one stored unit: each shared by at least ``k``
    invited people, and the people in the other groups (stored with no band) either none
    or at least ``k`` too."""
    allowed = sorted((g for g, n in groups.items() if g and n >= k), key=lambda g: -groups[g])
    while allowed:
        rest = sum(n for g, n in groups.items() if g not in allowed)
        if rest == 0 or rest >= k:
            break
        allowed.pop()  # the smallest allowed group joins the rest
    return sorted(allowed)


def bucket_for(stored_unit_id: int | None) -> str:
    return str(stored_unit_id) if stored_unit_id else "org"
