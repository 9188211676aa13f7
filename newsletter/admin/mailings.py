"""Admin screens for newsletter mailings."""
