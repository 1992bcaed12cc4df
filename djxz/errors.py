"""The exceptions that stop a command; data problems are Diagnostics, not exceptions."""


class DjxzError(Exception):
    """Cannot go on. The message is Chinese and shown to the user as is."""

    exit_code = 1


class UserError(DjxzError):
    """Wrong usage: a bad option, no zone found (exit 2)."""

    exit_code = 2


class DataError(DjxzError):
    """The zone's data is invalid, so the command refuses (exit 1)."""

    exit_code = 1


class RepoError(DjxzError):
    """Git refused or the repository is in a state we will not touch (exit 1)."""

    exit_code = 1


class TemplateError(DjxzError):
    """A template is broken or tried something the sandbox forbids (exit 1)."""

    exit_code = 1
