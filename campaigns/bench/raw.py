"""The raw limit: the same mails sent by one process, with Django's ``send_messages()`` and nothing else.

Over SMTP one connection carries all of them; to an ESP one API call per
batch of the engine's batch size. Run as ``python -m campaigns.bench.raw SPEC``
(a JSON file written by ``spec_of``) with ``EMAIL_URL`` pointing at the sink;
it prints {"seconds", "cpu_seconds"} of the sending alone, the messages being
built before the clock starts.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings


def spec_of(sample, addresses, batch):
    """What the raw sender needs: one rendered mail of the mailing, every address, and the ESP batch size."""
    return {
        "subject": sample.subject,
        "body": sample.body,
        "alternatives": [[content, mimetype] for content, mimetype in sample.alternatives],
        "from_email": sample.from_email,
        "reply_to": list(sample.reply_to),
        "headers": dict(sample.extra_headers),
        "addresses": addresses,
        "batch": batch,
    }


def build_messages(spec):
    from anymail.message import AnymailMessage
    from django.core.mail import EmailMultiAlternatives

    common = dict(
        subject=spec["subject"], body=spec["body"], from_email=spec["from_email"], reply_to=spec["reply_to"]
    )
    alternatives = [tuple(pair) for pair in spec["alternatives"]]
    addresses = spec["addresses"]
    if spec["batch"]:
        messages = []
        for start in range(0, len(addresses), spec["batch"]):
            chunk = addresses[start : start + spec["batch"]]
            message = AnymailMessage(to=chunk, alternatives=alternatives, headers=spec["headers"], **common)
            message.merge_data = {address: {} for address in chunk}
            messages.append(message)
        return messages
    return [
        EmailMultiAlternatives(to=[address], alternatives=alternatives, headers=spec["headers"], **common)
        for address in addresses
    ]


def send_all(spec):
    from django.core.mail import get_connection

    messages = build_messages(spec)
    connection = get_connection()
    started, cpu_started = time.monotonic(), time.process_time()
    connection.open()
    sent = connection.send_messages(messages)
    connection.close()
    return {"seconds": time.monotonic() - started, "cpu_seconds": time.process_time() - cpu_started, "sent": sent}


def measure(spec, email_url, work_dir):
    """Run the raw sender in a process of its own (as the workers are) and return its figures."""
    path = Path(work_dir) / "raw-spec.json"
    path.write_text(json.dumps(spec))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "EMAIL_URL": email_url}
    done = subprocess.run(
        [sys.executable, "-m", "campaigns.bench.raw", str(path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode:
        raise RuntimeError(f"The raw sender failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    import django

    django.setup()
    spec = json.loads(Path(sys.argv[1]).read_text())
    print(json.dumps(send_all(spec)))


if __name__ == "__main__":
    main()
