"""Walk-through events recorded before ADR 0025 named the organisation, so its audit log
showed them (who read a walk-through said who was walked through). Keep them with the
walk-through instead, as ``justculture.log`` now records them."""

from django.db import migrations


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    RestorativeConversation = apps.get_model("support", "RestorativeConversation")
    for event in AuditEvent.objects.filter(action="support.restorative.recorded"):
        r = RestorativeConversation.objects.filter(pk=event.object_id).first()
        event.action = "support.walkthrough.restorative_recorded"
        event.data = {**(event.data or {}), "restorative_conversation": event.object_id}
        if r is not None:
            event.object_type, event.object_id = "support.walkthrough", str(r.walkthrough_id)
            event.object_label = f"Just culture guide walk-through {r.walkthrough_id}"
        event.save(update_fields=["action", "data", "object_type", "object_id", "object_label"])
    AuditEvent.objects.filter(action__startswith="support.walkthrough.").update(organisation=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("support", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
