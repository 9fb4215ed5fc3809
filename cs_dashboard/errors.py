"""The one error type for a choice, setting or file the app cannot use.

``str(exc)`` is the reason (lower case, no final stop: the CLI prints it after ``error:``);
``exc.message`` is the sentence a page shows (``ui.messages.error``).
"""

from __future__ import annotations


class InputError(ValueError):
    """A choice, setting or file the app cannot use; ``subject`` starts the page's sentence."""

    #: What cannot be used ("The tier rule"); empty: the reason is the whole sentence.
    subject = ""

    @property
    def message(self) -> str:
        """The user-facing sentence, e.g. "The tier rule cannot be used: tier names must differ."."""
        reason = str(self).rstrip(".")
        if self.subject:
            return f"{self.subject} cannot be used: {reason}."
        return f"{reason[:1].upper()}{reason[1:]}."
