from .consent import ConsentRecord, ConsentText
from .mailings import IssueMailing
from .pages import NewsletterIndexPage, NewsletterIssuePage
from .subscribers import Subscriber, Topic

__all__ = [
    "ConsentRecord",
    "ConsentText",
    "IssueMailing",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "Subscriber",
    "Topic",
]
