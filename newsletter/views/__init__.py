"""The subscriber's pages: one module per page."""
