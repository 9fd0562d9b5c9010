"""Each message gets a random delivery id, passed on by every channel (the email's Message-ID):
added empty, filled one by one (a shared default would repeat), then made unique."""

import uuid

from django.db import migrations, models


def give_each_message_a_delivery_id(apps, schema_editor):
    Message = apps.get_model("notify", "Message")
    batch = []
    for message in Message.objects.filter(delivery_id__isnull=True).only("id").iterator():
        message.delivery_id = uuid.uuid4()
        batch.append(message)
        if len(batch) >= 1000:
            Message.objects.bulk_update(batch, ["delivery_id"])
            batch = []
    Message.objects.bulk_update(batch, ["delivery_id"])


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0001_message_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="delivery_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_message_a_delivery_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="message",
            name="delivery_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
