"""Subscribers, topics, versioned consent texts, consent records, issue pages and their mailings."""

import django.db.models.deletion
import newsletter.models.subscribers
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('campaigns', '0006_campaign_kind'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NewsletterIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', models.TextField(blank=True, help_text='Eén of twee zinnen; ook gebruikt in overzichten.', verbose_name='inleiding')),
            ],
            options={
                'verbose_name': 'nieuwsbriefarchief',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='NewsletterIssuePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', models.TextField(blank=True, help_text='Eén of twee zinnen; ook gebruikt in overzichten.', verbose_name='inleiding')),
                ('subject', models.CharField(help_text='Zoals hij in de inbox staat.', max_length=150, verbose_name='onderwerpregel')),
                ('preheader', models.CharField(blank=True, help_text="De regel die mailprogramma's achter het onderwerp tonen.", max_length=150, verbose_name='voorvertoningstekst')),
                ('body', wagtail.fields.StreamField([('text', 0), ('image', 4), ('call_to_action', 8), ('page_teaser', 10), ('persona_teaser', 12)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'link', 'ol', 'ul'], 'label': 'Tekst', 'template': 'newsletter/blocks/text.html'}), 1: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Afbeelding'}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'Wat staat er op de afbeelding? Verplicht.', 'label': 'Alternatieve tekst', 'max_length': 250}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Onderschrift', 'max_length': 300, 'required': False}), 4: ('wagtail.blocks.StructBlock', [[('image', 1), ('alt_text', 2), ('caption', 3)]], {}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Knoptekst', 'max_length': 80}), 6: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Pagina op de site', 'required': False}), 7: ('wagtail.blocks.URLBlock', (), {'label': 'Of een adres', 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('text', 5), ('page', 6), ('url', 7)]], {}), 9: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Artikel of oproep', 'page_type': ['cms.ArticlePage', 'cms.CallForInputPage']}), 10: ('wagtail.blocks.StructBlock', [[('page', 9)]], {}), 11: ('wagtail.snippets.blocks.SnippetChooserBlock', ('cms.Persona',), {'label': 'Persona'}), 12: ('wagtail.blocks.StructBlock', [[('persona', 11)]], {})}, verbose_name='inhoud')),
            ],
            options={
                'verbose_name': 'nieuwsbrief',
                'verbose_name_plural': 'nieuwsbrieven',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='Topic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='naam')),
                ('slug', models.SlugField(help_text='Ook gebruikt in de List-Id van de mail.', max_length=60, unique=True, verbose_name='korte naam')),
                ('description', models.CharField(blank=True, max_length=300, verbose_name='omschrijving')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='volgorde')),
                ('active', models.BooleanField(default=True, verbose_name='zichtbaar op het aanmeldformulier')),
            ],
            options={
                'verbose_name': 'onderwerp',
                'verbose_name_plural': 'onderwerpen',
                'ordering': ['sort_order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='ConsentText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(editable=False, unique=True, verbose_name='versie')),
                ('text', models.TextField(help_text='Wat de bezoeker leest naast het vinkje: waarvoor, hoe vaak, en dat afmelden altijd kan.', verbose_name='toestemmingstekst')),
                ('privacy_statement_version', models.CharField(help_text='Bijvoorbeeld: 2026-11 of 3.1', max_length=50, verbose_name='versie privacyverklaring')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='vastgesteld op')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='vastgesteld door')),
                ('privacy_page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='pagina privacyverklaring')),
            ],
            options={
                'verbose_name': 'toestemmingstekst',
                'verbose_name_plural': 'toestemmingsteksten',
                'ordering': ['-version'],
            },
        ),
        migrations.CreateModel(
            name='Subscriber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='e-mailadres')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='naam')),
                ('status', models.CharField(choices=[('pending', 'Wacht op bevestiging'), ('confirmed', 'Aangemeld'), ('unsubscribed', 'Afgemeld')], default='pending', max_length=20, verbose_name='status')),
                ('token_nonce', models.CharField(default=newsletter.models.subscribers.new_nonce, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='aangemeld op')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='bevestigd op')),
                ('unsubscribed_at', models.DateTimeField(blank=True, null=True, verbose_name='afgemeld op')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='gewijzigd')),
                ('topics', models.ManyToManyField(blank=True, related_name='subscribers', to='newsletter.topic', verbose_name='onderwerpen')),
            ],
            options={
                'verbose_name': 'abonnee',
                'verbose_name_plural': 'abonnees',
                'ordering': ['email'],
            },
        ),
        migrations.CreateModel(
            name='IssueMailing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('check_report', models.JSONField(blank=True, default=dict, verbose_name='uitkomst controle')),
                ('checked_at', models.DateTimeField(blank=True, null=True, verbose_name='gecontroleerd op')),
                ('campaign', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='issue_mailing', to='campaigns.campaign', verbose_name='verzending')),
                ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gecontroleerd door')),
                ('revision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.revision', verbose_name='versie')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mailings', to='newsletter.newsletterissuepage', verbose_name='nieuwsbrief')),
                ('topics', models.ManyToManyField(related_name='mailings', to='newsletter.topic', verbose_name='onderwerpen')),
            ],
            options={
                'verbose_name': 'verzending nieuwsbrief',
                'verbose_name_plural': 'verzendingen nieuwsbrief',
            },
        ),
        migrations.CreateModel(
            name='ConsentRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('signup_page', 'Aanmeldpagina'), ('compact_form', 'Aanmeldblok op een pagina'), ('import', 'Import'), ('preferences', 'Voorkeurenpagina')], max_length=20, verbose_name='bron')),
                ('source_detail', models.CharField(blank=True, help_text='Bij een import: waar de toestemming is gegeven.', max_length=500, verbose_name='herkomst')),
                ('page_url', models.CharField(blank=True, max_length=500, verbose_name='adres van de pagina')),
                ('privacy_statement_version', models.CharField(blank=True, max_length=50, verbose_name='versie privacyverklaring')),
                ('topic_names', models.JSONField(blank=True, default=list, verbose_name='onderwerpen zoals getoond')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='opgegeven naam')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='aangevraagd op')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres')),
                ('confirmation_nonce', models.CharField(blank=True, editable=False, max_length=32)),
                ('confirmation_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='bevestigingsmail verstuurd op')),
                ('confirmation_mails', models.PositiveSmallIntegerField(default=0, verbose_name='aantal bevestigingsmails')),
                ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='link geldig tot')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='bevestigd op')),
                ('confirmed_ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP-adres bij bevestigen')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='geïmporteerd door')),
                ('page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='pagina')),
                ('consent_text', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='records', to='newsletter.consenttext', verbose_name='toestemmingstekst')),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='newsletter.subscriber', verbose_name='abonnee')),
                ('topics', models.ManyToManyField(blank=True, related_name='+', to='newsletter.topic', verbose_name='onderwerpen')),
            ],
            options={
                'verbose_name': 'toestemming',
                'verbose_name_plural': 'toestemmingen',
                'ordering': ['-requested_at'],
            },
        ),
        migrations.AddIndex(
            model_name='subscriber',
            index=models.Index(fields=['status', 'created_at'], name='subscriber_status_idx'),
        ),
        migrations.AddIndex(
            model_name='consentrecord',
            index=models.Index(fields=['confirmed_at', 'expires_at'], name='consent_pending_idx'),
        ),
    ]
