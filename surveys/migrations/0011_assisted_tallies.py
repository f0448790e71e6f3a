"""Tallies of the ``assisted`` profile dimension (did staff help the respondent?), counted from
the responses stored before the dimension existed, so ``rebuild_tallies --check`` agrees at once."""

from collections import Counter

from django.db import migrations
from django.db.models import Count

# The shard counts of surveys.tallies when this migration was written.
AGENCY_SHARDS = 4
REGENCY_SHARDS = 16
VALUES = {True: "ya", False: "tidak"}
MODELS = ("ProfileTally", "AgencyProfileTally", "RegencyProfileTally")


def remove_assisted(apps, schema_editor):
    for name in MODELS:
        apps.get_model("surveys", name).objects.filter(dimension="assisted").delete()


def count_assisted(apps, schema_editor):
    """One grouped read of the accepted responses, written as day and month rows per service,
    agency shard and regency shard."""
    remove_assisted(apps, schema_editor)
    Response = apps.get_model("surveys", "Response")
    grouped = (
        Response.objects.filter(status="accepted")
        .values_list("day", "service_id", "service__agency_id", "assisted")
        .annotate(n=Count("pk"))
        .order_by()
    )
    services, agencies, regency = Counter(), Counter(), Counter()
    for day, service, agency, assisted, n in grouped.iterator(chunk_size=5000):
        value = VALUES[bool(assisted)]
        for span, first in (("d", day), ("m", day.replace(day=1))):
            services[(span, first, service, value)] += n
            agencies[(span, first, agency, service % AGENCY_SHARDS, value)] += n
            regency[(span, first, service % REGENCY_SHARDS, value)] += n
    for name, counts, columns in (
        ("ProfileTally", services, ("span", "day", "service_id", "value")),
        ("AgencyProfileTally", agencies, ("span", "day", "agency_id", "shard", "value")),
        ("RegencyProfileTally", regency, ("span", "day", "shard", "value")),
    ):
        model = apps.get_model("surveys", name)
        model.objects.bulk_create(
            (model(dimension="assisted", count=n, **dict(zip(columns, key, strict=True))) for key, n in counts.items()),
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0010_merge_20261202_0643"),
    ]

    operations = [
        migrations.RunPython(count_assisted, remove_assisted),
    ]
