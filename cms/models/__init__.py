from .articles import ArticleIndexPage, ArticlePage, ArticlePersonaLink, ArticleRelatedPage, ArticleTag
from .calls import CallFormField, CallForInputPage, CallIndexPage, CallPersonaLink, CallResponse
from .examples import ExampleIndexPage, ExamplePage
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
    "ExampleIndexPage",
    "ExamplePage",
    "HomePage",
    "Persona",
    "StandardPage",
]
