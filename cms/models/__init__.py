from .articles import ArticleIndexPage, ArticlePage, ArticlePersonaLink, ArticleRelatedPage, ArticleTag
from .calls import CallFormField, CallForInputPage, CallIndexPage, CallPersonaLink, CallResponse
from .home import HomePage, StandardPage
from .snippets import ContactPerson, Persona

__all__ = [
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePersonaLink",
    "ArticleRelatedPage",
    "ArticleTag",
    "CallFormField",
    "CallForInputPage",
    "CallIndexPage",
    "CallPersonaLink",
    "CallResponse",
    "ContactPerson",
    "HomePage",
    "Persona",
    "StandardPage",
]
