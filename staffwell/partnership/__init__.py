"""The partnership: the two sides, and the one way both of them agree to something.

``Side`` and ``side_of`` say which side a membership acts for. ``services`` records
agreements (``agree``, ``withdraw``, ``clear``, ``state``) for any kind of thing that needs
both sides; a kind is registered once with ``services.register``. See
docs/adr/0018-one-partnership-mechanism.md.
"""

from staffwell.partnership.sides import Side, side_of

__all__ = ["Side", "side_of"]
