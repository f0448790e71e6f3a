from django.db import migrations

# Version 1 is the OKI preset. The preset's data must not change once released: a changed
# wording belongs in a new version (the questionnaire editor), not in this list.
from surveys.presets import OKI_ELEMENTS


def create_version_one(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Element = apps.get_model("surveys", "Element")
    if Questionnaire.objects.exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=1, name="SKM Kabupaten Ogan Komering Ilir (10 unsur)", is_current=True
    )
    # Only the fields this migration's model has: later migrations add fields (element names)
    # and fill them themselves.
    fields = ("code", "question_id", "question_en", "labels_id", "labels_en")
    Element.objects.bulk_create(
        Element(questionnaire=questionnaire, position=position, **{key: element[key] for key in fields})
        for position, element in enumerate(OKI_ELEMENTS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_version_one, migrations.RunPython.noop)]
