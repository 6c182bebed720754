"""The attacker's view of a publication: what can be worked out by combining published figures.

Every published figure (a count, a mean, a share, a distribution) is a linear function of
the answers of one group of respondents: a count is the sum of ones over the group, a mean
times its count is the sum of the answers. So an attacker who holds the figures for groups
G1..Gn knows ``1_Gi . x`` for every answer vector ``x``, and therefore ``v . x`` for every
``v`` in the real span of the indicator vectors ``1_G1 .. 1_Gn``. A publication *isolates*
a set S of respondents when some non-zero ``v`` in that span is zero outside S: the
attacker then learns a weighted sum of the answers of S alone. It leaks when that happens
for an S smaller than the threshold.

``find_leak`` decides this exactly:

1. Respondents that belong to exactly the same published groups are indistinguishable
   ("atoms"); every vector in the span is constant on each atom, so we work with atoms.
2. A vector touching an atom of at least ``threshold`` respondents already has a support of
   at least ``threshold``, so a leak lives only on the small atoms. The candidate vectors
   are ``W = {c . A : c . A is zero on every large atom}``: a null-space computation.
3. If W is ``{0}`` nothing small can be isolated. Otherwise the smallest support in W is
   found among W's elementary vectors (minimal supports), which are enumerated exactly
   while that is affordable; beyond the budget the check reports a possible leak, so it
   errs on the side of withholding.

For nested families (a unit tree: any two groups are disjoint or one contains the other)
the answer is simpler and exact without matrices: the span equals the span of each
published group's *residual* (its respondents not in a published group below it), and those
are disjoint, so the smallest isolatable set is the smallest non-empty residual.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

import numpy as np

TOLERANCE = 1e-9
# Above this many candidate zero-sets, the exact search for the smallest support gives way
# to the conservative answer "may leak".
ENUMERATION_BUDGET = 20_000


@dataclass(frozen=True)
class Leak:
    """A combination of published figures that isolates fewer respondents than the threshold."""

    respondents: frozenset
    coefficients: Mapping[Hashable, float] = field(default_factory=dict)
    proven: bool = True  # False: the exact search was over budget; treated as a leak anyway
    weight: int | None = None  # respondents isolated, when ``respondents`` are weighted cells

    @property
    def size(self) -> int:
        return len(self.respondents) if self.weight is None else self.weight

    def describe(self) -> str:
        terms = " ".join(f"{'+' if c > 0 else '-'} {abs(c):.3g} x {key}" for key, c in self.coefficients.items())
        return f"{terms.lstrip('+ ')} isolates {self.size} respondent(s)"


def _atoms(groups: Sequence[frozenset], weights=None) -> tuple[np.ndarray, np.ndarray, list[list]]:
    """(matrix groups x atoms of 0/1, atom sizes, members of each atom)."""
    signature: dict[Hashable, list[int]] = {}
    for index, group in enumerate(groups):
        for respondent in group:
            signature.setdefault(respondent, []).append(index)
    atoms: dict[tuple, list] = {}
    for respondent, indices in signature.items():
        atoms.setdefault(tuple(indices), []).append(respondent)
    keys = list(atoms)
    matrix = np.zeros((len(groups), len(keys)))
    for column, key in enumerate(keys):
        matrix[list(key), column] = 1.0
    if weights is None:
        sizes = np.array([len(atoms[k]) for k in keys], dtype=float)
    else:
        sizes = np.array([sum(weights[r] for r in atoms[k]) for k in keys], dtype=float)
    return matrix, sizes, [atoms[k] for k in keys]


def _left_null_space(matrix: np.ndarray) -> np.ndarray:
    """Rows c with c @ matrix == 0 (an orthonormal basis)."""
    rows = matrix.shape[0]
    if matrix.shape[1] == 0:
        return np.eye(rows)
    u, s, _ = np.linalg.svd(matrix, full_matrices=True)
    rank = int((s > TOLERANCE * max(1.0, s[0] if len(s) else 1.0)).sum())
    return u[:, rank:].T


def _row_basis(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the row space."""
    if matrix.size == 0:
        return np.zeros((0, matrix.shape[1]))
    _, s, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((s > TOLERANCE * max(1.0, s[0] if len(s) else 1.0)).sum())
    return vt[:rank]


def _smallest_support(basis: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """The vector of the subspace (rows of ``basis``, orthonormal) with the fewest respondents
    in its support: (vector or None, proven)."""
    dim, columns = basis.shape
    if dim == 0:
        return None, True
    # A single atom is isolated when its unit vector lies in the subspace.
    norms = (basis**2).sum(axis=0)
    singles = np.flatnonzero(np.abs(norms - 1.0) < 1e-7)
    best, best_weight = None, np.inf
    for j in singles:
        if sizes[j] < best_weight:
            best, best_weight = np.eye(columns)[j], sizes[j]
    if dim == 1:
        vector = basis[0]
        weight = sizes[np.abs(vector) > 1e-7].sum()
        return (vector, True) if weight < best_weight else (best, True)
    if comb(columns, dim - 1) > ENUMERATION_BUDGET:
        if best is not None:
            return best, True
        # Over budget: report the support of the whole subspace as possibly isolatable.
        support = (np.abs(basis) > 1e-7).any(axis=0)
        return support.astype(float), False
    # Elementary vectors: zero on dim-1 chosen columns, a one-dimensional solution.
    for zeros in combinations(range(columns), dim - 1):
        sub = basis[:, zeros]
        null = _left_null_space(sub)
        if null.shape[0] != 1:
            continue
        vector = null[0] @ basis
        weight = sizes[np.abs(vector) > 1e-7].sum()
        if 0 < weight < best_weight:
            best, best_weight = vector, weight
    return best, True


def find_leak(
    groups: Mapping[Hashable, frozenset],
    threshold: int,
    weights: Mapping[Hashable, int] | None = None,
    *,
    method: str = "auto",
) -> Leak | None:
    """The combination of the published groups that isolates the fewest respondents, if it
    isolates fewer than ``threshold``; otherwise None.

    Groups are sets of respondents, or of cells of respondents who are never told apart
    (a unit and staff group, say) with ``weights`` giving the number of respondents in each.

    ``method``: "algebra" forces the general null-space search; "graph" the two-family
    minimum cut (see ``_two_family_leak``); "auto" picks the exact method that applies.
    """
    keys = [k for k, g in groups.items() if g]
    if not keys:
        return None
    sets = [frozenset(groups[k]) for k in keys]
    if is_laminar(sets):
        return _laminar_leak(keys, sets, threshold, weights)
    if method in ("auto", "graph"):
        first = [i for i, k in enumerate(keys) if not _is_crossed(k)]
        second = [i for i, k in enumerate(keys) if _is_crossed(k)]
        if is_laminar([sets[i] for i in first]) and is_laminar([sets[i] for i in second]):
            result = _two_family_leak(keys, sets, first, second, threshold, weights)
            if result is not NotImplemented:
                return result
        if method == "graph":
            raise ValueError("These groups are not two nested families with a small side.")
    return _algebra_leak(keys, sets, threshold, weights)


def _algebra_leak(keys: list, sets: list[frozenset], threshold: int, weights) -> Leak | None:
    matrix, sizes, members = _atoms(sets, weights)
    small = sizes < threshold
    if not small.any():
        return None
    combos = _left_null_space(matrix[:, ~small])
    if combos.shape[0] == 0:
        return None
    candidates = _row_basis(combos @ matrix[:, small])
    small_sizes = sizes[small]
    vector, proven = _smallest_support(candidates, small_sizes)
    if vector is None:
        return None
    support = np.abs(vector) > 1e-7
    weight = small_sizes[support].sum()
    if weight >= threshold and proven:
        return None
    full = np.zeros(len(sizes))
    full[np.flatnonzero(small)] = vector
    coefficients, *_ = np.linalg.lstsq(matrix.T, full, rcond=None)
    small_members = [m for m, is_small in zip(members, small, strict=True) if is_small]
    respondents = frozenset(r for m, s in zip(small_members, support, strict=True) if s for r in m)
    scale = np.abs(coefficients).max() or 1.0
    named = {keys[i]: float(c / scale) for i, c in enumerate(coefficients) if abs(c / scale) > 1e-9}
    return Leak(respondents, named, proven, int(weight))


# Nested families -------------------------------------------------------------------------


def is_laminar(sets: Sequence[frozenset]) -> bool:
    """True when any two sets are disjoint or one contains the other."""
    return _laminar_parents(sets) is not None


def _laminar_parents(sets: Sequence[frozenset]) -> list[int | None] | None:
    """For a nested family, each set's smallest strict-or-equal container processed before it
    (sets are taken largest first); None when the family is not nested."""
    order = sorted(range(len(sets)), key=lambda i: -len(sets[i]))
    current: dict[Hashable, int] = {}
    parents: list[int | None] = [None] * len(sets)
    for i in order:
        owners = {current.get(r) for r in sets[i]}
        if len(owners) > 1:
            return None
        parent = owners.pop() if owners else None
        parents[i] = parent
        for r in sets[i]:
            current[r] = i
    return parents


def residuals(sets: Sequence[frozenset]) -> list[frozenset]:
    """For a nested family: each set's members not in any set nested below it."""
    parents = _laminar_parents(sets)
    if parents is None:
        raise ValueError("residuals() needs a nested family of sets")
    covered: list[set] = [set() for _ in sets]
    for i, parent in enumerate(parents):
        if parent is not None:
            covered[parent] |= sets[i]
    return [frozenset(s - c) for s, c in zip(sets, covered, strict=True)]


def _laminar_leak(keys: list, sets: list[frozenset], threshold: int, weights=None) -> Leak | None:
    parents = _laminar_parents(sets)
    rest = residuals(sets)

    def weight(members: frozenset) -> int:
        return len(members) if weights is None else sum(weights[m] for m in members)

    sized = [(weight(r), i) for i, r in enumerate(rest) if r]
    sized = [(w, i) for w, i in sized if w > 0]
    if not sized:
        return None
    smallest, worst = min(sized)
    if smallest >= threshold:
        return None
    coefficients = {keys[worst]: 1.0}
    for i, parent in enumerate(parents):
        if parent == worst and sets[i] != sets[worst]:
            coefficients[keys[i]] = -1.0
    return Leak(rest[worst], coefficients, True, smallest)


# Two nested families -----------------------------------------------------------------------


def _is_crossed(key) -> bool:
    """Keys of filter groups (a unit crossed with a filter) contain "|"."""
    return isinstance(key, str) and "|" in key


SMALL_SIDE_LIMIT = 14


def _two_family_leak(keys, sets, first, second, threshold, weights):
    """Exact leak search when the groups are two nested families (the unit tree, and the
    organisation crossed with staff groups).

    Each family's span is the span of its residual blocks, which are disjoint. Put the
    blocks of both families, and one vertex "0" for "in no block", in a graph whose edges are
    the cells shared by a block of each family (weighted by respondents). A combination
    ``sum a_b 1_b + sum c_q 1_q`` takes the value ``a_b + c_q`` on the cell shared by b and q;
    with potentials ``a_b``, ``-c_q`` and 0 for vertex "0", that is a potential difference,
    so the span is exactly the graph's cut space and the fewest respondents any
    combination isolates is the graph's minimum cut. The side with fewer blocks is small
    (a dozen staff groups), so the minimum cut is found by trying every split of that side
    and letting each block of the other side take its cheaper side.
    """

    def weight(members) -> int:
        return len(members) if weights is None else sum(weights[m] for m in members)

    first_sets = [sets[i] for i in first]
    second_sets = [sets[i] for i in second]
    res1, res2 = residuals(first_sets), residuals(second_sets)
    blocks1 = [(first[j], r) for j, r in enumerate(res1) if r and weight(r) > 0]
    blocks2 = [(second[j], r) for j, r in enumerate(res2) if r and weight(r) > 0]
    if len(blocks2) + 1 > SMALL_SIDE_LIMIT:
        if len(blocks1) + 1 > SMALL_SIDE_LIMIT:
            return NotImplemented
        blocks1, blocks2 = blocks2, blocks1
    where1 = {m: b for b, (_, r) in enumerate(blocks1) for m in r}
    where2 = {m: q for q, (_, r) in enumerate(blocks2) for m in r}
    # small side: vertex 0 then the blocks2; large side: blocks1
    n_small = len(blocks2) + 1
    edges = np.zeros((len(blocks1), n_small))
    zero_edges = np.zeros(n_small)
    members: dict[tuple, list] = {}
    for m in set(where1) | set(where2):
        w = 1 if weights is None else weights[m]
        b, q = where1.get(m), where2.get(m)
        small = 0 if q is None else q + 1
        if b is None:
            zero_edges[small] += w
            members.setdefault(("0", small), []).append(m)
        else:
            edges[b, small] += w
            members.setdefault((b, small), []).append(m)
    # Connected components: a split inside a connected component always cuts something.
    parent = list(range(len(blocks1) + n_small))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for b, small in zip(*np.nonzero(edges), strict=True):
        parent[find(int(b))] = find(len(blocks1) + int(small))
    for small in np.flatnonzero(zero_edges):
        parent[find(len(blocks1))] = find(len(blocks1) + int(small))
    components: dict[int, tuple[list, list]] = {}
    for b in range(len(blocks1)):
        components.setdefault(find(b), ([], []))[0].append(b)
    for small in range(n_small):
        if small == 0 and not zero_edges.any() and not edges[:, 0].any():
            continue
        components.setdefault(find(len(blocks1) + small), ([], []))[1].append(small)
    best = (np.inf, None, None)  # (cut, large vertices on side B, small vertices on side B)
    for large, smalls in components.values():
        sub = edges[np.ix_(large, smalls)]
        degree = sub.sum(axis=1)
        if len(large):
            j = int(np.argmin(degree))
            if 0 < degree[j] < best[0]:
                large_b = np.zeros(len(blocks1), dtype=bool)
                large_b[large[j]] = True
                best = (float(degree[j]), large_b, np.zeros(n_small, dtype=bool))
        if len(smalls) < 2:
            continue
        count = 1 << (len(smalls) - 1)
        masks = ((np.arange(1, count)[:, None] >> np.arange(len(smalls) - 1)) & 1).astype(float)
        on_b = np.hstack([np.zeros((count - 1, 1)), masks])  # first small vertex stays on side A
        to_b = sub @ on_b.T
        to_a = degree[:, None] - to_b
        cost = np.minimum(to_a, to_b).sum(axis=0)
        if 0 in smalls:
            zero_weights = zero_edges[smalls]
            zero_side = on_b[:, smalls.index(0)]
            cost = cost + (np.abs(on_b - zero_side[:, None]) * zero_weights).sum(axis=1)
        i = int(np.argmin(cost))
        if 0 < cost[i] < best[0]:
            large_b = np.zeros(len(blocks1), dtype=bool)
            large_b[np.array(large, dtype=int)[to_b[:, i] > to_a[:, i]]] = True
            small_b = np.zeros(n_small, dtype=bool)
            small_b[np.array(smalls)[on_b[i].astype(bool)]] = True
            best = (float(cost[i]), large_b, small_b)
    cut, large_b, small_b = best
    if not np.isfinite(cut) or cut >= threshold:
        return None
    respondents = []
    for (b, small), ms in members.items():
        side = bool(small_b[0]) if b == "0" else bool(large_b[b])
        if side != bool(small_b[small]):
            respondents.extend(ms)
    coefficients: dict = {}
    flip = bool(small_b[0])  # potentials are relative to vertex "0"
    for b in range(len(blocks1)):
        if large_b[b] != flip:
            _add_block(coefficients, blocks1[b][0], keys, sets, 1.0 if large_b[b] else -1.0)
    for q in range(1, n_small):
        if small_b[q] != flip:
            _add_block(coefficients, blocks2[q - 1][0], keys, sets, -1.0 if small_b[q] else 1.0)
    return Leak(frozenset(respondents), coefficients, True, round(cut))


def _add_block(coefficients: dict, index: int, keys: list, sets: list, sign: float) -> None:
    """A residual block as groups: the group minus the largest groups nested inside it."""
    own = sets[index]
    crossed = _is_crossed(keys[index])
    inside = [i for i in range(len(sets)) if i != index and _is_crossed(keys[i]) == crossed and sets[i] < own]
    maximal = [i for i in inside if not any(sets[i] < sets[j] for j in inside if j != i)]
    coefficients[keys[index]] = coefficients.get(keys[index], 0.0) + sign
    for i in maximal:
        coefficients[keys[i]] = coefficients.get(keys[i], 0.0) - sign
