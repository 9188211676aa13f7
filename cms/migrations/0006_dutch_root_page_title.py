"""The root page above every site is called "Alle sites", not Wagtail's "Root": editors see it in the page explorer."""

from django.db import migrations

WAGTAIL_TITLE = "Root"
DUTCH_TITLE = "Alle sites"


def rename_root(apps, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def to_dutch(apps, schema_editor):
    rename_root(apps, WAGTAIL_TITLE, DUTCH_TITLE)


def to_english(apps, schema_editor):
    rename_root(apps, DUTCH_TITLE, WAGTAIL_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_video_block_saves_without_provider"),
    ]

    operations = [migrations.RunPython(to_dutch, to_english)]
