"""Each application's conversation: its page, posting, muting."""

from certtrack.conversation.views import bp

__all__ = ["bp"]
