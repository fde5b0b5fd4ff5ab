"""The few errors ReportQA raises; each message names the fix. Only the edges (API, CLI) translate them."""

from __future__ import annotations


class ReportQAError(Exception):
    """Base class. ``str(err)`` is a one-line message telling the user what to do."""

    status_code: int = 400


class CorpusFormatError(ReportQAError):
    """A corpus file cannot be read as a report (empty, binary, wrong encoding, ...)."""

    status_code = 422


class CorpusNotFound(ReportQAError):
    status_code = 500


class IndexNotBuilt(ReportQAError):
    """No index on disk."""

    status_code = 503


class IndexMismatch(ReportQAError):
    """The index on disk was built from another corpus or embedder."""

    status_code = 503


class EmbedderUnavailable(ReportQAError):
    """The configured embedder cannot be loaded offline."""

    status_code = 503


class TableNotFound(ReportQAError):
    status_code = 404


class AmbiguousId(ReportQAError):
    """A bare id ('表1') that several documents use; the message lists the qualified ids to send instead."""

    status_code = 409


class BadQuestion(ReportQAError):
    status_code = 422


class IndexCorrupt(IndexNotBuilt):
    """The index on disk fails its integrity check (checksums, counts, finite vectors, parsable records)."""


class PortInUse(ReportQAError):
    """The port `reportqa serve` should listen on is taken."""
