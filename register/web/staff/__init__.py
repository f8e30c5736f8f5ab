"""The back office: log-in, review queue, meeting screen, compliance, audit and accounts."""
