"""manage.py create_sysadmin NAME: create or promote a sysadmin; the API key is the last line."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User, validate_user_name


class Command(BaseCommand):
    help = (
        "Create the user NAME as a sysadmin, or make an existing user one. "
        "Prints the user's API key as the last line of output."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="user name (2-100 characters of a-z, 0-9, - and _)")
        parser.add_argument("--email", help="set the user's email")
        parser.add_argument("--password", help="set the user's password (new users get none otherwise)")
        parser.add_argument("--apikey", help="set the user's API key (at most 64 characters)")

    def handle(self, *args, name, email=None, password=None, apikey=None, **options):
        try:
            validate_user_name(name)
        except ValidationError as exc:
            raise CommandError(f"Invalid user name {name!r}: {' '.join(exc.messages)}") from None
        if apikey is not None:
            apikey = apikey.strip()
            if not apikey or len(apikey) > 64:
                raise CommandError("--apikey must be 1 to 64 characters long")

        with transaction.atomic():
            user = User.objects.select_for_update().filter(name=name).first()
            created = user is None
            if created:
                user = User(name=name)
                user.set_unusable_password()
            if apikey is not None:
                if User.objects.filter(apikey=apikey).exclude(pk=user.pk).exists():
                    raise CommandError("That API key belongs to another user")
                user.apikey = apikey
            if email is not None:
                user.email = email
            if password is not None:
                user.set_password(password)
            user.sysadmin = True
            user.is_active = True
            user.save()

        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} sysadmin {user.name}; API key:")
        self.stdout.write(user.apikey)
