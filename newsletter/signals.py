"""Keeps subscribers in step with the suppression list that bounces, complaints and unsubscribes feed."""
