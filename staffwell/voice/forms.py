import datetime

from django import forms
from django.utils import timezone

from staffwell.core.forms import DateField
from staffwell.organisations.models import Unit
from staffwell.voice.models import Post, VoiceSettings

AGREEABLE = [
    (Post.Status.UNDER_REVIEW, "Under review"),
    (Post.Status.DOING, "We're doing it"),
    (Post.Status.DONE, "Done"),
    (Post.Status.CANT, "We can't, because…"),
    (Post.Status.NOT_HERE, "Not for this forum (point to the right route)"),
]


def audience_choices(org) -> list[tuple[str, str]]:
    choices = [("", f"The whole organisation ({org.name})")]
    units = Unit.objects.for_org(org).order_by("path")
    for unit in units:
        prefix = "Directorate: " if unit.parent_id is None else "Team: "
        choices.append((str(unit.pk), prefix + unit.name))
    return choices


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Post.Kind.choices,
        initial=Post.Kind.IDEA,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is an idea, a question or a challenge"},
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        required=False,
        error_messages={"invalid_choice": "Choose who it is for from the list"},
    )
    title = forms.CharField(
        label="In a few words",
        max_length=150,
        error_messages={
            "required": "Enter a short title",
            "max_length": "Keep the title to 150 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Tell us more",
        max_length=3000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your idea, question or challenge",
            "max_length": "Keep it to 3,000 characters or fewer",
        },
    )
    anonymous = forms.ChoiceField(
        label="Post with your name or anonymously?",
        choices=[("named", "With my name"), ("anonymous", "Anonymously")],
        initial="named",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to post with your name or anonymously"},
    )
    hold = forms.BooleanField(label="Hold it for both sides to check before it shows", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["audience"].choices = audience_choices(org)

    def clean_audience(self):
        value = self.cleaned_data.get("audience") or ""
        if not value:
            return None
        unit = Unit.objects.for_org(self.org).filter(pk=value).first() if value.isdigit() else None
        if unit is None:
            raise forms.ValidationError("Choose who it is for from the list")
        return unit


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter your comment", "max_length": "Keep it to 2,000 characters or fewer"},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your private code",
        max_length=40,
        help_text="The code you were given when you posted, like ABCD-EFGH-JKLM-NPQR.",
        error_messages={"required": "Enter your private code"},
    )


class ReplyForm(CodeForm):
    body = forms.CharField(
        label="Reply as the author",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter your reply", "max_length": "Keep it to 2,000 characters or fewer"},
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=AGREEABLE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status"},
    )
    answer = forms.CharField(
        label="Public answer",
        max_length=3000,
        widget=forms.Textarea,
        help_text="Shown to everyone with the post once both sides agree it.",
        error_messages={"required": "Enter the public answer"},
    )
    pointer = forms.CharField(
        label="Where to go instead",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text="Needed for 'not for this forum': the route the person should use.",
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Post.Status.NOT_HERE and not (data.get("pointer") or "").strip():
            self.add_error("pointer", "Say where to raise this instead")
        return data


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("publish", "Publish it"), ("decline", "Do not publish it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to publish it"},
    )
    reason = forms.CharField(
        label="Reason, shown to the author",
        max_length=1000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason the author will see"},
    )


class MergeForm(forms.Form):
    into = forms.ChoiceField(label="Merge into", error_messages={"required": "Choose the post to merge into"})

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", "Choose a post")] + [(str(p.pk), p.title) for p in posts]


class ActionForm(forms.Form):
    cycle = forms.ChoiceField(label="Action plan", error_messages={"required": "Choose the action plan"})
    title = forms.CharField(label="Action", max_length=200, error_messages={"required": "Enter the action"})
    measure = forms.CharField(
        label="How we will know it worked",
        widget=forms.Textarea,
        error_messages={"required": "Enter how you will know it worked"},
    )
    due_date = DateField(
        label="Due date",
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter a due date"},
    )

    def __init__(self, *args, cycles, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycles = {str(c.pk): c for c in cycles}
        self.fields["cycle"].choices = [(k, c.title) for k, c in self.cycles.items()]

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value < timezone.localdate():
            raise forms.ValidationError("Enter a due date today or later")
        if value > timezone.localdate() + datetime.timedelta(days=3 * 366):
            raise forms.ValidationError("Enter a due date within three years")
        return value


class SettingsForm(forms.ModelForm):
    class Meta:
        model = VoiceSettings
        fields = ["response_days", "remind_days_before", "guardian_contacts", "hr_route", "safety_route"]
        error_messages = {
            "response_days": {"required": "Enter the number of days", "invalid": "Enter a whole number of days"},
            "remind_days_before": {"required": "Enter the number of days", "invalid": "Enter a whole number of days"},
        }

    def clean_response_days(self):
        value = self.cleaned_data["response_days"]
        if not 1 <= value <= 90:
            raise forms.ValidationError("Enter a target between 1 and 90 days")
        return value

    def clean(self):
        data = super().clean()
        before, target = data.get("remind_days_before"), data.get("response_days")
        if before is not None and target and before >= target:
            self.add_error("remind_days_before", "Remind fewer days before the target than the target itself")
        return data
