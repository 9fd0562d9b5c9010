"""``bluelamp code USERNAME``: the current sign-in code of a *demo* user (never in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from bluelamp.accounts.models import User
from bluelamp.accounts.services import totp_device
from bluelamp.synth.demo import totp_key_for


class Command(BaseCommand):
    help = "Print the current six-digit sign-in code of a demo user."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        if settings.ENVIRONMENT == "production":
            raise CommandError("Refused in production.")
        user = User.objects.filter(username=options["username"]).first()
        device = totp_device(user) if user else None
        if device is None or device.key != totp_key_for(user.username):
            raise CommandError(f"{options['username']} is not a demo user.")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
