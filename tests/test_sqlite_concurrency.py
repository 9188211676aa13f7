"""`make run` on SQLite: web, worker and beat write at once without "database is locked"."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Two processes with the dev settings: each reads, waits while the other reads too, then writes.
# With deferred transactions the second writer cannot upgrade its read lock and fails at once.
WRITER = """
import time, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM counter")
        time.sleep(1)
        cursor.execute("INSERT INTO counter VALUES (1)")
print("written")
"""


def test_two_processes_writing_the_same_sqlite_file_both_succeed(tmp_path):
    environment = {
        **{key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}},
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "VAR_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-c", WRITER], cwd=ROOT, env=environment, check=True, capture_output=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER], cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [writer.communicate(timeout=60) for writer in writers]

    for (out, err), writer in zip(results, writers):
        assert writer.returncode == 0, err[-500:]
        assert "written" in out
