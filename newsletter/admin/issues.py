"""Admin screens for newsletter issues."""
