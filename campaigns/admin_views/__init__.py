"""Wagtail admin screens for campaigns: forms, views and the viewset that registers them."""
