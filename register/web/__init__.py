"""The Litestar application: public pages, JSON API, health; `create_app` builds it."""

from register.web.app import create_app

__all__ = ["create_app"]
