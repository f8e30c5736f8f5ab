"""The demo authority: a realistic city to try the register end to end (`register demo`)."""

from register.services.demo.seed import DemoSummary, seed_demo

__all__ = ["DemoSummary", "seed_demo"]
