"""Fixtures for real services: filled in below by the service tests' author."""
