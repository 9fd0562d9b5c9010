"""PostgreSQL only: ``bluelamp_best_people(keys, weights, wanted)``, the people whose keys among
``keys`` add up to the most (ties to the lower id), for search (records.best_candidates).

It sums each key's holders as one ordered merge (a UNION ALL of index scans in person order,
grouped as they stream past) instead of PostgreSQL's usual hash of every holder: a common name at
five million nominals has 20,000 to 30,000 key rows, and hashing them was two thirds of the
search's statement (16.5 ms against 10.4 ms; bench/README.md). The planner costs the hash as
cheaper, so the function turns it off for its own statement only. Keys go in as literals
(``%L``), weights as whole numbers; SQLite keeps its plain GROUP BY."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION bluelamp_best_people(keys text[], weights int[], wanted int)
RETURNS TABLE (person_id bigint)
LANGUAGE plpgsql STABLE
SET enable_hashagg = off
AS $$
DECLARE
  branches text;
BEGIN
  SELECT string_agg(
           format('(SELECT k.person_id, %s AS w FROM people_personkey k WHERE k.key = %L '
                  'ORDER BY k.person_id)', weights[i]::int, keys[i]),
           ' UNION ALL ')
    INTO branches
    FROM generate_subscripts(keys, 1) AS i;
  IF branches IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE
    'SELECT u.person_id FROM (' || branches || ') u GROUP BY u.person_id '
    'ORDER BY SUM(u.w) DESC, u.person_id LIMIT ' || wanted::int;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS bluelamp_best_people(text[], int[], int)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the text holds format()'s % directives, not placeholders.
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_match_record")]

    operations = [migrations.RunPython(create, drop)]
