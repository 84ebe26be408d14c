"""On PostgreSQL the index of open occurrences by due date also carries id and commune: the sweep
finds who is owed a rung by an index-only scan instead of visiting a million scattered rows."""
from django.db import migrations

OPEN = "('assigned', 'in_progress', 'submitted', 'returned', 'awaiting_directing')"


def covering(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS occ_open_due")
    schema_editor.execute("CREATE INDEX occ_open_due ON sauro_workflow_occurrence (due_on) INCLUDE (id, commune_id) "
                          f"WHERE status IN {OPEN}")


def plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS occ_open_due")
    schema_editor.execute(f"CREATE INDEX occ_open_due ON sauro_workflow_occurrence (due_on) WHERE status IN {OPEN}")


class Migration(migrations.Migration):

    dependencies = [("sauro_workflow", "0007_scale_indexes")]

    operations = [migrations.RunPython(covering, plain)]
