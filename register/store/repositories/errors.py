"""What a repository may refuse, in terms the services can act on."""


class NotFoundError(LookupError):
    """No row with that identifier."""


class ConflictError(RuntimeError):
    """Someone else changed the row since it was read (optimistic locking)."""
