"""Admin screens for newsletter subscribers."""
