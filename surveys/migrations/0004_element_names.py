from django.db import migrations, models

# The regulation's names of the elements (PermenPANRB 14/2017, as DESIGN.md lists them), frozen
# here so later changes of the presets do not rewrite history. An element with another code
# keeps its code as its name until a super admin names it in the questionnaire editor.
NAMES = {
    "persyaratan": ("Persyaratan", "Requirements"),
    "prosedur": ("Sistem, Mekanisme, dan Prosedur", "System, mechanism and procedure"),
    "waktu": ("Waktu Penyelesaian", "Completion time"),
    "biaya": ("Biaya/Tarif", "Cost/fee"),
    "produk": ("Produk Spesifikasi Jenis Pelayanan", "Product specification"),
    "kompetensi": ("Kompetensi Pelaksana", "Staff competence"),
    "perilaku": ("Perilaku Pelaksana", "Staff conduct"),
    "maklumat": ("Maklumat Pelayanan", "Service pledge"),
    "pengaduan": ("Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints, suggestions and feedback"),
    "sarana": ("Sarana dan Prasarana", "Facilities"),
}


def name_elements(apps, schema_editor):
    Element = apps.get_model("surveys", "Element")
    for element in Element.objects.all():
        element.name_id, element.name_en = NAMES.get(element.code, (element.code, element.code))
        element.save(update_fields=["name_id", "name_en"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_month_tallies")]

    operations = [
        migrations.AddField(
            model_name="element",
            name="name_id",
            field=models.CharField(default="", max_length=200, verbose_name="name (Indonesian)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="element",
            name="name_en",
            field=models.CharField(default="", max_length=200, verbose_name="name (English)"),
            preserve_default=False,
        ),
        migrations.RunPython(name_elements, migrations.RunPython.noop),
    ]
