"""Admin screens for a campaign's progress and results, its answers and the dashboard panel."""
