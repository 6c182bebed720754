from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "staffwell.voice"
    label = "voice"
    verbose_name = "Staff voice"

    def ready(self):
        from django.db.models.signals import post_save

        from staffwell.assessments.models import Action, ActionUpdate
        from staffwell.partnership import services as partnership
        from staffwell.voice import triage

        partnership.register(triage.ANSWER, label="answer to a staff voice post", on_agreed=triage.publish_answer)
        partnership.register(
            triage.MODERATION, label="decision on a held staff voice post", on_agreed=triage.publish_moderation
        )

        def _action_saved(sender, instance, **kwargs):
            triage.follow_action(instance)

        def _progress_added(sender, instance, created, **kwargs):
            # add_progress writes the update, then the action's new status with .update().
            if created:
                triage.follow_action_status(instance.action_id, instance.status)

        post_save.connect(_action_saved, sender=Action, dispatch_uid="voice.follow_action", weak=False)
        post_save.connect(_progress_added, sender=ActionUpdate, dispatch_uid="voice.follow_progress", weak=False)
