"""The newsletter admin, one module per concern: issues (editors), mailings (sending), subscribers (privacy)."""
