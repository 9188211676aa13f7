"""Public pages of campaigns: personal response links, unsubscribe, and the ESP tracking webhooks."""
