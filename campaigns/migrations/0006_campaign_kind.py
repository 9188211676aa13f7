"""Campaigns get a kind: a call for input, or a newsletter issue (see 0007)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0005_delivery_message_id_key'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='suppression',
            name='suppression_unique_email_scope',
        ),
        migrations.AddField(
            model_name='campaign',
            name='kind',
            field=models.CharField(choices=[('call', 'Oproep'), ('newsletter', 'Nieuwsbrief')], default='call', max_length=20, verbose_name='soort'),
        ),
    ]
