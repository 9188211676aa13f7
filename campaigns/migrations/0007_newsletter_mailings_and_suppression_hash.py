"""Newsletter mailings ride on campaigns; suppressions are looked up by a keyed hash of the address."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def hash_every_address(apps, schema_editor):
    from campaigns.models.suppression import address_hash

    Suppression = apps.get_model("campaigns", "Suppression")
    for entry in Suppression.objects.only("pk", "email").iterator():
        Suppression.objects.filter(pk=entry.pk).update(email_hash=address_hash(entry.email))


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0006_campaign_kind'),
        ('cms', '0006_dutch_root_page_title'),
        ('newsletter', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='recipient',
            name='subscriber',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recipients', to='newsletter.subscriber'),
        ),
        migrations.AddField(
            model_name='suppression',
            name='campaign',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='suppressions', to='campaigns.campaign', verbose_name='veroorzaakt door'),
        ),
        migrations.AddField(
            model_name='suppression',
            name='email_hash',
            field=models.CharField(default='', editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(hash_every_address, migrations.RunPython.noop),
        migrations.AddField(
            model_name='suppression',
            name='event',
            field=models.JSONField(blank=True, default=dict, verbose_name='oorspronkelijke melding'),
        ),
        migrations.AlterField(
            model_name='campaign',
            name='call_page',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='cms.callforinputpage', verbose_name='oproep'),
        ),
        migrations.AlterField(
            model_name='message',
            name='kind',
            field=models.CharField(choices=[('invitation', 'Uitnodiging'), ('reminder', 'Herinnering'), ('newsletter', 'Nieuwsbrief')], max_length=20),
        ),
        migrations.AlterField(
            model_name='suppression',
            name='email',
            field=models.EmailField(blank=True, max_length=254, verbose_name='e-mailadres'),
        ),
        migrations.AlterField(
            model_name='suppression',
            name='reason',
            field=models.CharField(choices=[('hard_bounce', 'Onbestelbaar (harde bounce)'), ('complaint', 'Klacht (als spam gemeld)'), ('unsubscribed', 'Afgemeld'), ('manual', 'Handmatig geblokkeerd'), ('erased', 'Gegevens gewist op verzoek')], max_length=20, verbose_name='reden'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'newsletter'), ('call_page__isnull', False), _connector='OR'), name='campaign_call_has_page'),
        ),
        migrations.AddConstraint(
            model_name='suppression',
            constraint=models.UniqueConstraint(fields=('email_hash', 'scope'), name='suppression_unique_hash_scope'),
        ),
    ]
