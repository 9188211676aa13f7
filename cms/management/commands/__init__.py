"""``manage.py`` commands: see each module."""
