"""Agenda transparency register: officials' meetings with interest representatives, from their
calendars to a public register."""

__version__ = "0.1.0"
