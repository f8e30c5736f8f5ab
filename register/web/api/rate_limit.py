"""The API's rate limit: `REGISTER_API_RATE_LIMIT` requests a minute per client address.

Litestar's `RateLimitMiddleware` counts in the application's store (one process: with several
workers each counts on its own) and answers 429 with `RateLimit-*` headers (IETF draft); this
subclass adds the standard `Retry-After` (RFC 9110 §10.2.3) to the refusal, which becomes a
problem document like every other error. Behind a reverse proxy, run the server with the
proxy's address trusted (uvicorn's `--forwarded-allow-ips`), or every client shares one count.
"""

from typing import Any

from litestar.exceptions import TooManyRequestsException
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig, RateLimitMiddleware
from litestar.types import Receive, Scope, Send


class RetryAfterRateLimitMiddleware(RateLimitMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except TooManyRequestsException as refused:
            headers: dict[str, Any] = dict(refused.headers or {})
            wait = max(1, int(headers.get(self.config.rate_limit_reset_header_key, 60)))
            raise TooManyRequestsException(
                detail=f"At most {self.max_requests} requests a {self.unit} from one address: "
                f"retry in {wait} seconds.",
                headers={**headers, "Retry-After": str(wait)},
            ) from None


def rate_limit(per_minute: int) -> DefineMiddleware:
    """The middleware that allows `per_minute` requests a minute per client address."""
    return RateLimitConfig(
        rate_limit=("minute", per_minute),
        middleware_class=RetryAfterRateLimitMiddleware,
        store="api_rate_limit",
    ).middleware
