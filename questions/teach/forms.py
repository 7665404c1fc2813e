from __future__ import annotations

from django import forms
from django.utils import timezone

from questions.models import Attempt
from quizsite.names import name_clean, visible

from .services import MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Question-set file",
        help_text="Our Markdown format (.md) or Moodle GIFT (.gift), at most 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.gift,text/markdown,text/plain"}),
    )
    draft = forms.BooleanField(
        required=False,
        label="Import as a draft (hidden from learners until published)",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked before reading a byte of it into memory.
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB: question-set files can be "
                "at most 1 MB."
            )
        return upload


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class AssignmentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Optional, e.g. “Week 3”.")
    mode = forms.ChoiceField(
        choices=Attempt.MODE_CHOICES,
        initial=Attempt.PRACTICE,
        widget=forms.RadioSelect,
        help_text="Practice shows feedback after each answer; exam only at the end.",
    )
    time_limit = forms.IntegerField(
        label="Time limit in minutes",
        required=False,
        min_value=1,
        max_value=600,
        help_text="Exam mode only. Leave empty for no limit.",
    )
    release_answers_at_close = forms.BooleanField(
        required=False,
        initial=True,
        label="Exam mode: show learners their score at once, the answers and feedback only "
        "when the assignment closes",
    )
    opens_at = forms.DateTimeField(
        label="Opens at (UTC)", required=False, widget=DateTimeInput(), help_text="Empty: now."
    )
    closes_at = forms.DateTimeField(
        label="Closes at (UTC)", required=False, widget=DateTimeInput(), help_text="Empty: never."
    )

    def clean(self):
        data = super().clean()
        if data.get("time_limit") and data.get("mode") != Attempt.EXAM:
            self.add_error("time_limit", "A time limit applies to exam mode only.")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The closing time must come after the opening time.")
        elif closes and closes <= timezone.now():
            self.add_error(
                "closes_at", "The closing time has passed: the assignment would be closed already."
            )
        return data


class MoreTimeForm(forms.Form):
    minutes = forms.IntegerField(
        label="Minutes",
        min_value=1,
        max_value=600,
        initial=10,
        help_text="Added to the time limit (from now, if it has run out); a finished "
        "attempt is reopened.",
    )


class JoinForm(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="Your instructor sees this name beside your results.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        # NFKC, no zero-width or bidi-override characters: the name the instructor reads
        # is the name typed, and never blank.
        return name_clean(self.cleaned_data["display_name"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        label="What is wrong with this question?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example: the marked answer is wrong, an option is ambiguous, a typo.",
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not visible(text).strip():
            raise forms.ValidationError("Say what is wrong, in words.")
        return text
