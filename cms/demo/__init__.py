"""Demo content for local development and screenshots: ``manage.py seed_demo``."""
