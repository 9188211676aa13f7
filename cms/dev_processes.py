"""`make start`: honcho running Procfile.dev, with time for the Celery worker to stop.

Without a broker server the worker uses kombu's filesystem transport and Celery's blocking
loop, which after Ctrl-C still finishes two 2-second broker polls before it stops: 4 to 6
seconds in all. Honcho kills what still runs after 5 seconds, which cuts off a task and
prints a SIGKILL line, so it waits longer here.
"""

import sys

import honcho.manager
from honcho.command import main

STOP_WAIT_SECONDS = 15

if __name__ == "__main__":
    honcho.manager.KILL_WAIT = STOP_WAIT_SECONDS
    sys.exit(main())
