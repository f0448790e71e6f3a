# The suggestions a report shows read a partial index of their own (issue 12): the newest of a
# period and their count no longer read every accepted response of the agency.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0012_suggestion_answer"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="response",
            index=models.Index(
                condition=models.Q(("status", "accepted"), ("suggestion_hidden", False))
                & ~models.Q(("suggestion", "")),
                fields=["service", "day", "submitted_at", "id"],
                name="response_suggestion_shown",
            ),
        ),
    ]
