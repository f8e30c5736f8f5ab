"""Talking to calendar servers (CalDAV, ICS subscriptions): they yield plain `RemoteEvent`
values and an opaque sync state, and know nothing of the database or the web.

The connectors arrive with the calendar sync (issue 3).
"""
