"""Portal access codes and texted sign-in codes were kept in clear in the personalisation of
messages that are never deleted. Remove them from every message already sent or given up on;
a message still waiting is sent as queued, and its code removed by the worker once it is sent.
Template names as they were when this ran (notify/message_templates.py)."""

from django.db import migrations

SECRET_FIELDS = {
    "portal-access-code": ("code",),
    "portal-access-code-sms": ("code",),
    "portal-sign-in-code-sms": ("code",),
}
DONE = ("sent", "permanently_failed")
REMOVED = "(removed once sent)"


def remove_codes_from_sent_messages(apps, schema_editor):
    Message = apps.get_model("notify", "Message")
    done = Message.objects.filter(template__in=list(SECRET_FIELDS), status__in=DONE)
    for message in done.iterator():
        fields = SECRET_FIELDS[message.template]
        if all(message.personalisation.get(name) in (None, REMOVED) for name in fields):
            continue
        message.personalisation = {
            name: REMOVED if name in fields else value
            for name, value in message.personalisation.items()
        }
        message.save(update_fields=["personalisation"])


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0002_message_delivery_id"),
    ]

    operations = [
        migrations.RunPython(remove_codes_from_sent_messages, migrations.RunPython.noop),
    ]
