"""Reminders follow the plan and reach exactly those who have not answered."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import Campaign, Delivery, Message, Suppression
from campaigns.services import dispatch
from campaigns.services.launch import launch
from campaigns.services.reminders import create_reminder, queue_due_reminders, reminder_due

Status = Delivery.Status
# A deadline this far ahead makes a "3 days before" reminder due now.
REMINDER_DUE = timedelta(days=3, minutes=-5)


def launched_with_plan(campaign, make_contacts, count, days_before, deadline_in=timedelta(days=30), **plan):
    make_contacts(count)
    campaign.call_page.deadline = timezone.now() + deadline_in
    campaign.call_page.save()
    Campaign.objects.filter(pk=campaign.pk).update(reminder_days_before=days_before, **plan)
    launch(campaign)
    campaign.refresh_from_db()
    return campaign


def age_messages(campaign, by):
    for message in campaign.messages.all():
        Message.objects.filter(pk=message.pk).update(created_at=message.created_at - by)


@pytest.mark.django_db
def test_the_plan_decides_when_each_reminder_is_due(campaign, make_contacts):
    campaign = launched_with_plan(campaign, make_contacts, 1, [14, 3], max_reminders=2, min_days_between=3)
    deadline = campaign.call_page.deadline

    assert reminder_due(campaign) is None
    assert reminder_due(campaign, now=deadline - timedelta(days=14, hours=-1)) == 1

    Message.objects.create(campaign=campaign, kind="reminder", sequence=1, subject="h", body="h")
    Message.objects.filter(sequence=1).update(created_at=deadline - timedelta(days=14))
    assert reminder_due(campaign, now=deadline - timedelta(days=10)) is None
    assert reminder_due(campaign, now=deadline - timedelta(days=3)) == 2

    Message.objects.create(campaign=campaign, kind="reminder", sequence=2, subject="h", body="h")
    Message.objects.filter(sequence=2).update(created_at=deadline - timedelta(days=3))
    assert reminder_due(campaign, now=deadline - timedelta(days=1)) is None
    assert reminder_due(campaign, now=deadline + timedelta(days=1)) is None


@pytest.mark.django_db
def test_a_reminder_keeps_its_distance_and_its_maximum(campaign, make_contacts):
    campaign = launched_with_plan(campaign, make_contacts, 1, [14, 13, 12], max_reminders=1, min_days_between=3)
    deadline = campaign.call_page.deadline

    create_reminder(campaign, 1)
    Message.objects.filter(sequence=1).update(created_at=deadline - timedelta(days=14))
    assert reminder_due(campaign, now=deadline - timedelta(days=13)) is None
    Campaign.objects.filter(pk=campaign.pk).update(max_reminders=3)
    campaign.refresh_from_db()
    assert reminder_due(campaign, now=deadline - timedelta(days=12)) is None
    # Moments skipped for distance are caught up once, as soon as the distance allows.
    assert reminder_due(campaign, now=deadline - timedelta(days=11)) == 2


@pytest.mark.django_db
def test_a_campaign_launched_after_a_reminder_date_does_not_remind_at_once(campaign, make_contacts):
    campaign = launched_with_plan(campaign, make_contacts, 1, [14], deadline_in=timedelta(days=10))
    assert reminder_due(campaign) is None


@pytest.mark.django_db
def test_an_unpublished_call_gets_no_reminders(campaign, make_contacts):
    campaign = launched_with_plan(campaign, make_contacts, 2, [3], deadline_in=REMINDER_DUE, min_days_between=0)
    age_messages(campaign, timedelta(days=1))
    campaign.call_page.unpublish()

    assert queue_due_reminders() == 0
    assert campaign.messages.count() == 1


@pytest.mark.django_db
def test_a_reminder_goes_only_to_those_who_have_not_answered_and_may_be_mailed(campaign, make_contacts):
    campaign = launched_with_plan(campaign, make_contacts, 5, [14])
    answered, blocked = campaign.recipients.order_by("pk")[:2]
    campaign.recipients.filter(pk=answered.pk).update(answered_at=timezone.now())
    Suppression.objects.create(email=blocked.email, reason="complaint")

    assert create_reminder(campaign, 1) == 3
    reminded = set(Delivery.objects.filter(message__sequence=1).values_list("recipient__email", flat=True))
    assert reminded == set(campaign.recipients.values_list("email", flat=True)) - {answered.email, blocked.email}
    assert create_reminder(campaign, 1) is None
    assert Delivery.objects.filter(message__sequence=1).count() == 3


@pytest.mark.django_db
def test_dispatch_starts_scheduled_campaigns_and_finishes_sent_ones(campaign, make_contacts):
    make_contacts(2)
    Campaign.objects.filter(pk=campaign.pk).update(send_at=timezone.now() + timedelta(hours=1))
    launch(campaign)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED

    Campaign.objects.filter(pk=campaign.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    report = dispatch.dispatch_due_work()
    assert report.started == 1 and report.send_tasks == 1
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENDING

    Delivery.objects.update(status=Status.SENT)
    assert dispatch.dispatch_due_work().finished == 1
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT


def race(function, count=2):
    """Run ``function`` in ``count`` threads released at the same moment; return their results."""
    barrier = threading.Barrier(count)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(function())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_queue_a_reminder_once(postgres, redis_url, campaign, make_contacts):
    campaign = launched_with_plan(campaign, make_contacts, 4, [3], deadline_in=REMINDER_DUE, min_days_between=0)
    Delivery.objects.update(status=Status.SENT)
    age_messages(campaign, timedelta(days=1))

    reports = race(dispatch.dispatch_due_work)

    assert sorted(report.reminders_queued for report in reports) == [0, 4]
    assert campaign.messages.count() == 2
    assert Delivery.objects.filter(message__sequence=1).count() == 4


def test_reminders_through_a_real_worker_reach_exactly_the_non_responders(
    celery_workers, smtp_sink, campaign, make_contacts
):
    celery_workers.start(smtp_sink.url)
    campaign = launched_with_plan(campaign, make_contacts, 6, [3], deadline_in=REMINDER_DUE, min_days_between=0)
    invitations = smtp_sink.wait_for(6)
    recipients = list(campaign.recipients.order_by("pk"))
    for answered in recipients[:2]:
        answered.answered_at = timezone.now()
        answered.save()
    Suppression.objects.create(email=recipients[2].email, scope="campaigns", reason="unsubscribed")
    age_messages(campaign, timedelta(days=1))

    race(dispatch.dispatch_due_work)
    mails = smtp_sink.wait_for(9)
    reminders = mails[len(invitations) :]

    assert sorted(m["To"].addresses[0].addr_spec for m in reminders) == sorted(r.email for r in recipients[3:])
    assert all(m["Subject"] == campaign.reminder_subject for m in reminders)
    dispatch.dispatch_due_work()
    time.sleep(1)
    assert len(smtp_sink.messages) == 9, celery_workers.logs()
