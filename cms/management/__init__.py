"""Management commands of the cms app."""
