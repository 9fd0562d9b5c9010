"""One Victims' Code update policy per reason: the deadline reads the victim's rights from the
event that opened the duty, so "victim-arrest" and "victim-arrest-enhanced" become one policy.
Duties opened under an "-enhanced" name keep their deadline and take the single name, so a
contact recorded against them discharges them."""

from django.db import migrations

SUFFIX = "-enhanced"


def one_name_per_reason(apps, schema_editor):
    Duty = apps.get_model("duties", "Duty")
    names = (
        Duty.objects.filter(policy__startswith="victim-", policy__endswith=SUFFIX)
        .values_list("policy", flat=True)
        .distinct()
    )
    for name in list(names):
        Duty.objects.filter(policy=name).update(policy=name[: -len(SUFFIX)])


class Migration(migrations.Migration):
    dependencies = [
        ("duties", "0002_duties_name_their_event_and_person"),
        ("victims", "0003_contact_details_changes"),
    ]

    operations = [migrations.RunPython(one_name_per_reason, migrations.RunPython.noop)]
