"""What an SMS adapter raises: whether trying again later can help decides what the outbox does with the message."""


class SmsError(Exception):
    """A text the provider did not take. `code` is the provider's error code (or the HTTP status) when known."""

    retryable = False

    def __init__(self, message: str, *, code: str = "", status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


class RetryableSmsError(SmsError):
    """Worth trying again later: the network failed, the provider answered 5xx or asked us to slow down."""

    retryable = True


class PermanentSmsError(SmsError):
    """Trying again gives the same answer: a 4xx, a refused signature or key, a bad number or template."""
