# The dashboard's recently changed services read an index instead of sorting every service
# (issue 12).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0003_service_review_and_documents"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["updated_at"], name="service_recent"),
        ),
    ]
