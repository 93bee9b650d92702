"""When organs, parties, persons and memberships were made and last changed (the open-data API's
created and modified). Rows made before this migration take its time."""

import django.utils.timezone
from django.db import migrations, models


def _stamps(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name,
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_render_request"),
    ]

    operations = [*_stamps("organ"), *_stamps("party"), *_stamps("person"), *_stamps("membership")]
