"""Published meetings as iCalendar and RSS/Atom documents: pure functions from public records to
bytes, with stable identifiers.

The feeds arrive with the public register (issue 6).
"""
