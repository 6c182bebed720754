"""What surveys tell the apps above them, without importing them (the layers in
docs/development.md): ``campaign_closed`` is sent, after the commit, with ``campaign_id``
when a campaign closes and its responses become readable (reporting prepares its report)."""

from django.dispatch import Signal

campaign_closed = Signal()
