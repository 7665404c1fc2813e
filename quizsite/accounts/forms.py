"""Sign-up: Django's form, with user names normalised and checked against look-alikes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError

from quizsite.names import latin_skeleton, name_clean


class SignupForm(UserCreationForm):
    def clean_username(self):
        username = name_clean(self.cleaned_data["username"], what="user name")
        users = get_user_model().objects
        if users.filter(username__iexact=username).exists():
            raise ValidationError("A user with that user name already exists.")
        skeleton = latin_skeleton(username)
        # A name drawn with look-alike letters ("аdmin" in Cyrillic) would pass for
        # someone else's in every list of names.
        if skeleton != username.casefold() and users.filter(username__iexact=skeleton).exists():
            raise ValidationError(
                "This user name looks the same as an existing one (it uses letters from "
                "another alphabet that look like Latin ones): choose another."
            )
        return username
