from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import page_cache, views
from cms.feeds import ArticleAtomFeed, ArticleFeed

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("zoeken/", page_cache.cacheable(views.search), name="search"),
    path("kleuren/", views.choose_theme, name="choose_theme"),
    path("personas/<int:pk>/download/", views.persona_download, name="persona_download"),
    path("feed/", page_cache.cacheable(ArticleFeed()), name="feed_rss"),
    path("feed/atom/", page_cache.cacheable(ArticleAtomFeed()), name="feed_atom"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path("", include("campaigns.urls")),
    path("", include("newsletter.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "cms.views.bad_request"
handler403 = "cms.views.permission_denied"
handler500 = "cms.views.server_error"
