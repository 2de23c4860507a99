"""Error types of the serial engine.

Every error the engine raises on bad input is a SerialError, so callers (the
`serials` command, the worker, the Odoo addon) can turn it into one clear
message without a traceback.
"""


class SerialError(Exception):
    """Base class: bad input or a broken rule, with a message meant for a person."""


class FormatError(SerialError):
    """An auto-serial format that cannot be parsed or rendered."""


class PatternError(SerialError):
    """A serial pattern that is empty or malformed."""


class RangeError(SerialError):
    """A serial range that cannot be generated or parsed."""


class ReadError(SerialError):
    """A serial file that is unsupported, corrupt or too large."""


class LabelError(SerialError):
    """Serials that cannot be printed as labels."""


class StoreError(SerialError):
    """An allocation-store operation that cannot be done (unknown sequence, exhausted block...)."""
