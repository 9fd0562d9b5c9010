"""The offence table is now the published Home Office/ONS 2017/18 list (reference/offences.py,
domain.md 4.2; issue 14). Two things follow for records already in the database:

1. Crimes recorded under a code that list withdrew or gives another meaning are recoded, each
   with a classification step (HOCR section B history) whose reason names this migration; the
   step has no ``classified_by`` (no person made it). The map is domain.md 4.2's own words:
   - 58J first: the old table called it "threat or possession with intent to commit criminal
     damage", which is 59; 58J is racially or religiously aggravated criminal damage;
   - 58E-58H (the old table's racially or religiously aggravated criminal damage, by target)
     become 58J;
   - 5A (not a current code) becomes 5D, "assault with intent to cause serious harm" (GBH with
     intent);
   - 10C: the old table called it "possession of other firearms"; firearms are 10A/10B, so it
     becomes 10B "possession of firearms offences" (10C is now "possession of other weapons").
   Codes the old table had that the list has no home for (8U controlling or coercive behaviour;
   the fraud codes 53A and 53G, never used on local crimes) are left as recorded: the crime page
   shows the code with no name, and QA or the officer reclassifies it by hand.
   Recording decisions, N100 records and Action Fraud referrals keep the code they were made
   with: they are the record of what was decided then.

2. The investigation skill rules (0005) follow the offence groups: rows for the list's sexual
   offence and fraud codes that 0005 did not seed are added; default rows (description ending
   "(HOCR group)") whose code is no longer in the list are removed. Rows a force wrote stay.
"""

from django.db import migrations
from django.utils import timezone

REASON = (
    "Recoded by data migration crime 0007: the offence list is now the Home Office/ONS 2017/18 "
    "list (domain.md 4.2). {old} under the old table is {new} ({offence})."
)
# Applied in this order: 58J moves to 59 before 58E-58H move to 58J.
RECODE = (
    ("58J", "59"),
    ("58E", "58J"),
    ("58F", "58J"),
    ("58G", "58J"),
    ("58H", "58J"),
    ("5A", "5D"),
    ("10C", "10B"),
)
GROUP_SKILLS = (("is_sexual", ("sto", "pip2")), ("is_fraud", ("fraud",)))
DEFAULT_MARK = "(HOCR group)"


def recode_crimes(apps, schema_editor):
    from bluelamp.reference.offences import lookup

    crime_model = apps.get_model("crime", "Crime")
    classification = apps.get_model("crime", "Classification")
    now = timezone.now()
    for old, new in RECODE:
        offence = lookup(new)
        crimes = list(crime_model.objects.filter(offence_code=old).only("pk"))
        if not crimes:
            continue
        reason = REASON.format(old=old, new=new, offence=offence.offence)
        classification.objects.bulk_create(
            classification(
                crime_id=c.pk, from_code=old, to_code=new, reason=reason, classified_at=now
            )
            for c in crimes
        )
        crime_model.objects.filter(pk__in=[c.pk for c in crimes]).update(offence_code=new)


def sync_skill_rules(apps, schema_editor):
    from bluelamp.reference.offences import all_codes

    requirement = apps.get_model("crime", "SkillRequirement")
    codes = all_codes()
    for offence in codes.values():
        for test, skills in GROUP_SKILLS:
            if getattr(offence, test):
                for skill in skills:
                    requirement.objects.get_or_create(
                        offence_prefix=offence.code,
                        skill=skill,
                        defaults={"description": f"{offence.group} {DEFAULT_MARK}"},
                    )
    for row in requirement.objects.filter(description__endswith=DEFAULT_MARK):
        if not any(code.startswith(row.offence_prefix.upper()) for code in codes):
            row.delete()


class Migration(migrations.Migration):
    dependencies = [("crime", "0006_crime_flags_rape_reports_statements_outcome_views")]

    operations = [
        migrations.RunPython(recode_crimes, migrations.RunPython.noop),
        migrations.RunPython(sync_skill_rules, migrations.RunPython.noop),
    ]
