"""Delivery channels behind one small interface, so a force can plug in its own provider (GOV.UK
Notify's API, an SMS gateway) by naming a class in settings. Nothing here calls the internet:
email goes to the SMTP server the settings name; the default SMS provider writes to a file.

A provider's ``send(message, subject, body)`` returns the provider's id for the message, or
raises TemporaryFailure (retried with back-off) or PermanentFailure (not retried). It must pass
``message.delivery_id`` on to the receiving system (an email's Message-ID, GOV.UK Notify's
``reference``, an SMS gateway's client reference or Idempotency-Key header): it is the same on
every attempt, so a copy sent again after a worker died mid-delivery can be dropped
(docs/notify.md)."""

from __future__ import annotations

import json
import smtplib
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from .models import Message


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def message_id(message: Message) -> str:
    """The same Message-ID on every attempt, so a receiving server or a person can tell a retry
    of one message from two messages (RFC 5322 3.6.4: unique, and the same for a resend)."""
    domain = settings.BLUELAMP_EMAIL_FROM.rsplit("@", 1)[-1] or "bluelamp.invalid"
    return f"<{message.delivery_id.hex}@{domain}>"


class SmtpEmail:
    """Email through Django's SMTP backend."""

    def send(self, message: Message, subject: str, body: str) -> str:
        email = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.BLUELAMP_EMAIL_FROM,
            to=[message.to],
            headers={"Message-ID": message_id(message)},
            connection=get_connection(
                "django.core.mail.backends.smtp.EmailBackend",
                timeout=settings.BLUELAMP_EMAIL_TIMEOUT,
            ),
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"recipient refused: {error.recipients}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        return message_id(message)


class FileSms:
    """Writes each text message as a JSON line to BLUELAMP_SMS_FILE: the development and test
    channel, in the place a real SMS gateway adapter goes."""

    def send(self, message: Message, subject: str, body: str) -> str:
        path = Path(settings.BLUELAMP_SMS_FILE)
        path.parent.mkdir(parents=True, exist_ok=True)
        reference = str(message.delivery_id)
        line = json.dumps({"to": message.to, "body": body, "reference": reference})
        with path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")
        return f"file:{reference}"


def provider_for(channel: str):
    return import_string(settings.BLUELAMP_NOTIFY_PROVIDERS[channel])()
