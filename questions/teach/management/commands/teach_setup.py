import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from questions.teach.permissions import INSTRUCTORS


class Command(BaseCommand):
    help = (
        f"Create the “{INSTRUCTORS}” group (safe to run again) and add users to it, creating "
        "each account that does not exist yet (its password asked for, or read from an "
        "environment variable)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--add-user",
            action="append",
            default=[],
            metavar="USERNAME",
            help="add this user to the group, creating the account if needed (repeatable)",
        )
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="for accounts this creates: read the password from this environment "
            "variable instead of asking (for scripts; the password never appears in argv)",
        )

    def handle(self, *args, add_user, password_from_env=None, **options):
        group, created = Group.objects.get_or_create(name=INSTRUCTORS)
        self.stdout.write(f"Group {INSTRUCTORS!r} {'created' if created else 'already exists'}.")
        User = get_user_model()
        for username in add_user:
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            if user is None:
                user = User(**{User.USERNAME_FIELD: username})
                user.set_password(self.new_password(user, password_from_env))
                user.save()
                self.stdout.write(f"Account {username!r} created.")
            user.groups.add(group)
            self.stdout.write(f"{username} is an instructor.")

    def new_password(self, user, variable: str | None) -> str:
        username = user.get_username()
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"{variable} is empty or not set: no password for {username!r}.")
        elif sys.stdin.isatty():
            password = getpass.getpass(f"Password for the new account {username!r}: ")
            if password != getpass.getpass("The same again: "):
                raise CommandError("The two passwords differ: nothing was created.")
        else:
            raise CommandError(
                f"No user named {username!r}, and no terminal to ask for a password: run it "
                "in a terminal, or pass --password-from-env VARIABLE."
            )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(f"Password for {username!r}: {' '.join(exc.messages)}") from None
        return password
