from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from staffwell.absence.esr_format import parse_month
from staffwell.absence.models import IncompleteGroup, Population, ReasonCount, TriggerCount
from staffwell.core import audit
from staffwell.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Erase one month of an organisation's stored sickness absence, so a month first imported from the "
        "wrong file can be imported afresh (docs/absence.md, 'A month imported again'). Anyone holding a copy "
        "of the database from before can compare it with the month imported again: use only for a wrong file."
    )

    def add_arguments(self, parser):
        parser.add_argument("org", help="The organisation's slug.")
        parser.add_argument("month", help="The month, like 2025-03.")
        parser.add_argument("--reason", required=True, help="Why (kept in the audit log), e.g. 'wrong file uploaded'.")

    def handle(self, *args, org, month, reason, **options):
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug '{org}'.")
        first = parse_month(month)
        if first is None:
            raise CommandError(f"'{month}' is not a month like 2025-03.")
        if not reason.strip():
            raise CommandError("Say why the month is erased (--reason).")
        with transaction.atomic():
            cells = Population.objects.filter(organisation=organisation, month=first)
            if not cells.exists():
                raise CommandError(f"{organisation.name} has no absence stored for {first:%B %Y}.")
            erased = cells.count()
            cells.delete()
            for model in (ReasonCount, IncompleteGroup, TriggerCount):
                model.objects.filter(organisation=organisation, month=first).delete()
            audit.record(
                "absence.month.erased",
                organisation=organisation,
                data={"month": f"{first:%Y-%m}", "cells": erased, "reason": reason.strip()[:200]},
            )
        self.stdout.write(f"Erased {first:%B %Y} for {organisation.name} ({erased} cells). It can be imported afresh.")
