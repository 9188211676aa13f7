"""Admin screens for the pre-send check, the mail preview and the test send of an issue."""
