"""gunicorn settings for the image (Dockerfile) and docker-compose.yml.

gunicorn reads this file from the working directory; options given on the
command line win over it.
"""

wsgi_app = "cms.wsgi"
bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# Masks /reageren/<token>/ and /afmelden/<token>/ in the request line, path, query and Referer.
logger_class = "cms.gunicorn_logging.TokenMaskingLogger"
