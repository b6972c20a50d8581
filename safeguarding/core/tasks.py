"""Tasks queued before ``send_email`` moved to ``core.mail`` name it by this path; the
worker finds it here."""

from safeguarding.core.mail import send_email

__all__ = ["send_email"]
