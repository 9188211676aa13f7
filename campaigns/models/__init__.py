from .campaigns import Campaign, Message, Recipient
from .contacts import Contact, ContactTag, Organisation, normalise_email
from .deliveries import Delivery, TrackingEvent
from .suppression import Suppression

__all__ = [
    "Campaign",
    "Contact",
    "ContactTag",
    "Delivery",
    "Message",
    "Organisation",
    "Recipient",
    "Suppression",
    "TrackingEvent",
    "normalise_email",
]
