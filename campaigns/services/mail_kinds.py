"""What differs between the kinds of mailing that share the delivery ledger.

The ledger, the workers, retries, leases, suppression and webhooks are the
same for a call's invitation and for a newsletter issue; only three things
differ, and each kind registers them here (``campaigns`` its calls in its
``AppConfig.ready``, ``newsletter`` its issues in its own): how one
delivery's mail is built, which claimed rows are no longer wanted right
before sending (an answered call, a subscriber who left the topics), and
which scope of the suppression list applies.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MailKind:
    suppression_scope: str
    # build(delivery) -> EmailMessage for that one recipient; ValueError (Dutch) when it cannot be built.
    build: Callable
    # unwanted(deliveries) -> {delivery: reason} for rows to skip now (checked at send time, after the claim).
    unwanted: Callable
    # build_batch(deliveries, merge_field) -> one EmailMessage with merge data, for an ESP's batch API; None: one by one.
    build_batch: Callable | None = None


_KINDS = {}


def register(kind, mail_kind):
    _KINDS[kind] = mail_kind


def of(campaign):
    """The MailKind of ``campaign``; a kind nobody registered is a programming error, not a user's."""
    return _KINDS[campaign.kind]
