"""``wangge token USERNAME``: a new API token for a user, printed once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from wangge.core.errors import DomainError
from wangge.people.services import token_create


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it (only its hash is stored, so it is shown "
        "once). Send it as 'Authorization: Bearer TOKEN'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="USERNAME")
        parser.add_argument("--label", default="", help="what the token is for, e.g. a device")

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"])
        label = str(options["label"]).strip()
        if len(label) > 100:
            raise CommandError("--label is longer than 100 characters", returncode=2)
        User = get_user_model()
        try:
            user = User._default_manager.get(**{User.USERNAME_FIELD: username})
            key = token_create(user=user, label=label)
        except User.DoesNotExist:
            raise CommandError(f"no user named {username!r}", returncode=1) from None
        except DomainError as exc:
            raise CommandError(exc.message, returncode=1) from None
        except DatabaseError as exc:
            raise CommandError(
                f"database error: {str(exc).strip()} (has `wangge migrate` been run?)",
                returncode=1,
            ) from None
        # The key alone on stdout, so a script can capture it: TOKEN=$(wangge token alice)
        self.stdout.write(key)
