"""On PostgreSQL, the database itself refuses to change a signed version.

The models already refuse (Answer.save, EvidenceLink.save and their delete),
but a queryset update, the admin or a shell would go around them. These
triggers make the frozen content, its answers and its evidence links
unchangeable for every client of the database.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION compliance_refuse_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'compliance_assessment' THEN
        IF TG_OP = 'INSERT' THEN
            RETURN NEW;
        END IF;
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
        -- The row's assessment before (update, delete) and after (insert, update).
        IF EXISTS (
            SELECT 1 FROM compliance_assessment WHERE content_sha256 <> '' AND (
                (TG_OP <> 'INSERT' AND id = OLD.assessment_id) OR (TG_OP <> 'DELETE' AND id = NEW.assessment_id)
            )
        ) THEN
            RAISE EXCEPTION 'answers of a signed assessment cannot change' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF TG_TABLE_NAME = 'compliance_evidencelink' THEN
        IF EXISTS (
            SELECT 1 FROM compliance_answer a JOIN compliance_assessment s ON s.id = a.assessment_id
            WHERE s.content_sha256 <> '' AND (
                (TG_OP <> 'INSERT' AND a.id = OLD.answer_id) OR (TG_OP <> 'DELETE' AND a.id = NEW.answer_id)
            )
        ) THEN
            RAISE EXCEPTION 'evidence links of a signed assessment cannot change' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSIF TG_TABLE_NAME IN ('compliance_signature', 'compliance_assurance', 'compliance_evidencerevision') THEN
        IF TG_OP = 'INSERT' THEN
            RETURN NEW;
        END IF;
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
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
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
