"""Launch one campaign in a fresh process and print what freezing its audience cost, as JSON.

    python -m campaigns.bench.freeze <campaign id>

A process of its own, as the worker that freezes an admin's launch is: the
benchmark's own process has just built the invented contacts, and memory
that Python freed there would hide what the freeze needs. Prints when it
started (epoch seconds), seconds, and how far the process's peak RSS rose
above its level after start-up.
"""

import json
import os
import sys
import time

from campaigns.bench.processes import status_kb


def main(campaign_id):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from campaigns import tasks  # noqa: F401 - imported before the baseline: start-up, not freezing
    from campaigns.models import Campaign
    from campaigns.services.launch import launch

    campaign = Campaign.objects.get(pk=campaign_id)
    before_kb = status_kb("self", "VmRSS")
    started_at = time.time()
    started = time.monotonic()
    recipients = launch(campaign)
    seconds = time.monotonic() - started
    peak_kb = status_kb("self", "VmHWM")
    growth_mb = round(max(peak_kb - before_kb, 0) / 1024, 1)
    print(json.dumps({"recipients": recipients, "started_at": started_at, "seconds": round(seconds, 2), "memory_growth_mb": growth_mb}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
