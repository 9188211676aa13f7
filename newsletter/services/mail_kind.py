"""How the delivery ledger builds and re-checks a newsletter mail (registered in ``NewsletterConfig.ready``).

There is no batch builder: every mail carries its own unsubscribe and
preference links in the text, the HTML and the ``List-Unsubscribe`` header,
so each goes out on its own, over SMTP as through an ESP's API. The issue's
blocks are rendered once per revision (``rendering.prepared_revision``);
per mail only the recipient's name and links are filled in.
"""

from functools import lru_cache

from campaigns.models import Campaign, Suppression
from campaigns.services import mail_kinds
from newsletter import links
from newsletter.models import IssueMailing, Subscriber
from newsletter.services import rendering

LEFT_TOPICS_REASON = "afgemeld voor deze onderwerpen"


@lru_cache(maxsize=64)
def mailing_of(campaign_id):
    """The IssueMailing of a campaign with its issue URL and topics, loaded once per worker process.

    Safe to keep: a mailing's revision and topics never change once it is scheduled.
    """
    mailing = IssueMailing.objects.select_related("issue").get(campaign_id=campaign_id)
    mailing.web_version = rendering.page_url(mailing.issue)
    mailing.topic_list = list(mailing.topics.order_by("sort_order", "name"))
    return mailing


def build(delivery):
    recipient = delivery.recipient
    mailing = mailing_of(delivery.message.campaign_id)
    subscriber = recipient.subscriber
    if subscriber is None:
        raise ValueError("De abonnee bestaat niet meer.")
    return rendering.build_email(
        rendering.prepared_revision(mailing.revision_id),
        to_email=recipient.email,
        to_name=recipient.name,
        links=rendering.MailLinks(
            web_version=mailing.web_version,
            preferences=links.preferences_link(subscriber),
            unsubscribe=links.unsubscribe_link(recipient),
        ),
        topics=mailing.topic_list,
    )


def unwanted(deliveries):
    """Rows whose subscriber left: deleted, no longer confirmed, or none of the mailing's topics left.

    One query per batch. The subscribers found are handed to the rows, so
    ``build`` does not look each one up again.
    """
    if not deliveries:
        return {}
    mailing = mailing_of(deliveries[0].message.campaign_id)
    still_subscribed = Subscriber.objects.filter(
        pk__in=[d.recipient.subscriber_id for d in deliveries if d.recipient.subscriber_id],
        status=Subscriber.Status.CONFIRMED,
        topics__in=[topic.pk for topic in mailing.topic_list],
    ).values("pk")
    wanted = {subscriber.pk: subscriber for subscriber in Subscriber.objects.filter(pk__in=still_subscribed)}
    left = {}
    for delivery in deliveries:
        subscriber = wanted.get(delivery.recipient.subscriber_id)
        if subscriber is None:
            left[delivery] = LEFT_TOPICS_REASON
        else:
            delivery.recipient.subscriber = subscriber
    return left


def register():
    mail_kinds.register(
        Campaign.Kind.NEWSLETTER,
        mail_kinds.MailKind(suppression_scope=Suppression.Scope.NEWSLETTER, build=build, unwanted=unwanted),
    )
