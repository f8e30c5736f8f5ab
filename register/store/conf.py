"""Piccolo's configuration (`PICCOLO_CONF=register.store.conf`): the engine and the app registry.

The root `piccolo_conf.py` re-exports this module so that Piccolo's own CLI works from a checkout.
"""

from typing import Any

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from register.settings import get_settings
from register.store.engine import make_engine

DB: Engine[Any] = make_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["register.store.piccolo_app"])
