"""On PostgreSQL, the database itself refuses to change a signed version.

The models already refuse (Answer.save, EvidenceLink.save and their delete),
but a queryset update, the admin or a shell would go around them. These
triggers make the frozen content, its answers and its evidence links
unchangeable for every client of the database.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION compliance_refuse_frozen() RETURNS trigger AS $$
DECLARE
    target integer;
BEGIN
    IF TG_TABLE_NAME = 'compliance_assessment' THEN
        IF OLD.content_sha256 <> '' AND (
            TG_OP = 'DELETE'
            OR NEW.frozen_json IS DISTINCT FROM OLD.frozen_json
            OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
            OR NEW.frozen_at IS DISTINCT FROM OLD.frozen_at
            OR NEW.year IS DISTINCT FROM OLD.year
            OR NEW.version IS DISTINCT FROM OLD.version
            OR NEW.revision_id IS DISTINCT FROM OLD.revision_id
        ) THEN
            RAISE EXCEPTION 'assessment % is signed and cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF TG_TABLE_NAME = 'compliance_answer' THEN
        IF EXISTS (SELECT 1 FROM compliance_assessment WHERE id = OLD.assessment_id AND content_sha256 <> '') THEN
            RAISE EXCEPTION 'answer % belongs to a signed assessment', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF TG_TABLE_NAME = 'compliance_evidencelink' THEN
        SELECT assessment_id INTO target FROM compliance_answer WHERE id = OLD.answer_id;
        IF EXISTS (SELECT 1 FROM compliance_assessment WHERE id = target AND content_sha256 <> '') THEN
            RAISE EXCEPTION 'evidence link % belongs to a signed assessment', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF TG_TABLE_NAME IN ('compliance_signature', 'compliance_assurance', 'compliance_evidencerevision') THEN
        IF TG_OP = 'DELETE' OR to_jsonb(NEW) - 'id' IS DISTINCT FROM to_jsonb(OLD) - 'id' THEN
            RAISE EXCEPTION '% rows are never changed', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TABLES = (
    "compliance_assessment",
    "compliance_answer",
    "compliance_evidencelink",
    "compliance_signature",
    "compliance_assurance",
    "compliance_evidencerevision",
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION compliance_refuse_frozen()"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS compliance_refuse_frozen()")


class Migration(migrations.Migration):
    dependencies = [("compliance", "0003_yearly_assessment")]
    operations = [migrations.RunPython(install, remove)]
