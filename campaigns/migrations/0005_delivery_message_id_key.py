"""An opaque Message-ID key per delivery; existing rows get one each before it becomes unique."""

from django.db import migrations, models

import campaigns.models.deliveries


def give_each_delivery_a_key(apps, schema_editor):
    Delivery = apps.get_model("campaigns", "Delivery")
    for delivery in Delivery.objects.only("pk").iterator():
        Delivery.objects.filter(pk=delivery.pk).update(message_id_key=campaigns.models.deliveries.new_message_id_key())


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0004_contact_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="message_id_key",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(give_each_delivery_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="message_id_key",
            field=models.CharField(
                default=campaigns.models.deliveries.new_message_id_key, editable=False, max_length=32, unique=True
            ),
        ),
    ]
