from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True)),
                ("actor_id", models.BigIntegerField(db_index=True, null=True)),
                ("actor_name", models.CharField(max_length=200)),
                ("actor_role", models.CharField(blank=True, max_length=30)),
                ("action", models.CharField(max_length=20, choices=[("view", "Viewed"), ("search", "Searched"), ("create", "Created"),
                          ("change", "Changed"), ("link", "Linked (combination)"),
                          ("disclose", "Disclosed"), ("export", "Exported"), ("delete", "Erased"),
                          ("sign_in", "Signed in"), ("sign_in_failed", "Sign-in failed"),
                          ("sign_out", "Signed out"), ("grant", "Granted access")])),
                ("record_type", models.CharField(blank=True, max_length=60)),
                ("record_id", models.CharField(blank=True, max_length=64)),
                ("record_label", models.CharField(blank=True, max_length=200)),
                ("purpose", models.CharField(blank=True, max_length=500)),
                ("client_address", models.CharField(blank=True, max_length=64)),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["record_type", "record_id", "at"],
                               name="audit_record_at_idx"),
        ),
    ]
