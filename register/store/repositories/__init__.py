"""Repositories: the only code that reads and writes tables, in the domain's values."""
