"""A separate token for the unsubscribe link; recipients launched before get theirs from their nonce."""

from django.db import migrations, models


def fill_unsubscribe_hashes(apps, schema_editor):
    from campaigns import tokens

    Recipient = apps.get_model("campaigns", "Recipient")
    recipients = list(Recipient.objects.only("pk", "campaign_id", "email", "token_nonce"))
    for recipient in recipients:
        token = tokens.make_token(recipient.campaign_id, recipient.email, recipient.token_nonce, tokens.UNSUBSCRIBE)
        recipient.unsubscribe_token_hash = tokens.hash_token(token)
    Recipient.objects.bulk_update(recipients, ["unsubscribe_token_hash"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_delivery_claimed_at")]

    operations = [
        migrations.AddField(
            model_name="recipient",
            name="unsubscribe_token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(fill_unsubscribe_hashes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="recipient",
            name="unsubscribe_token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
