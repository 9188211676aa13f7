"""gunicorn's logger, with personal-link tokens masked (see ``campaigns.log_filters``).

The access log writes the request line, path, query string and Referer of
every request; the answer's POST carries the personal link as its Referer.
Every text atom is masked before the access log format sees it, so a custom
``access_log_format`` cannot bring a token back.
"""

from gunicorn.glogging import Logger

from campaigns.log_filters import MaskPersonalData, mask_personal_links


class TokenMaskingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(existing, MaskPersonalData) for existing in log.filters):
                log.addFilter(MaskPersonalData())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_personal_links(value) if isinstance(value, str) else value for key, value in atoms.items()}
