"""Errors that carry a one-line, user-facing reason.

Stages raise these for inputs they cannot handle; the scan loop turns them into an entry of
the report's `errors` list and carries on with the other pages.
"""


class DupdetectError(Exception):
    """Base class: `str(error)` is a one-line reason fit for a user."""


class InputError(DupdetectError):
    """An input could not be read, decoded or parsed (binary, empty, too large...)."""


class IndexStoreError(DupdetectError):
    """A persistent index could not be opened, read or written."""
