"""Serial patterns, e.g. ``996*****`` for "9 characters starting with 996".

``*`` is one letter or digit, ``#`` one digit, ``@`` one letter, ``\\`` makes the next character
literal (``\\*`` is a star), anything else is a literal that must appear as written (case
sensitive). The whole serial must match, so a pattern fixes the serial's length.

"Letter" and "digit" mean ASCII: A-Z, a-z and 0-9. Serials travel through barcodes, files and
other systems; a serial with "é" or an Arabic-Indic digit in a wildcard position is refused
rather than accepted by one system and mangled by the next.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .errors import PatternError

# Wildcard -> (regex class, what the check reports it expected).
WILDCARDS = {
    "*": ("[A-Za-z0-9]", "a letter or digit"),
    "#": ("[0-9]", "a digit"),
    "@": ("[A-Za-z]", "a letter"),
}
ESCAPE = "\\"


@dataclass(frozen=True)
class SerialPattern:
    """A compiled pattern. Build it with compile_pattern()."""

    text: str
    # One (wildcard or None, literal character) per serial position.
    _slots: tuple
    _regex: re.Pattern

    @property
    def length(self):
        """The length every matching serial has."""
        return len(self._slots)

    def matches(self, serial):
        """True when the whole serial matches."""
        return isinstance(serial, str) and self._regex.fullmatch(serial) is not None

    def check(self, serial):
        """None when the serial matches, else why not (a sentence for a person)."""
        if self.matches(serial):
            return None
        if not isinstance(serial, str):
            return f"a serial must be text, not {type(serial).__name__}"
        if len(serial) != self.length:
            plural = "" if len(serial) == 1 else "s"
            return f"has {len(serial)} character{plural}, pattern {self.text!r} needs {self.length}"
        for position, (character, (wildcard, literal)) in enumerate(zip(serial, self._slots, strict=False), start=1):
            if wildcard is not None:
                char_class, expected = WILDCARDS[wildcard]
                if not re.fullmatch(char_class, character):
                    return f"position {position} is {character!r}, expected {expected}"
            elif character != literal:
                return f"position {position} is {character!r}, expected {literal!r}"
        raise AssertionError("unreachable: regex and slots disagree")  # pragma: no cover


def compile_pattern(text):
    """Compile a pattern; PatternError if it is empty or ends in a lone backslash."""
    if not isinstance(text, str):
        raise PatternError(f"a pattern must be text, not {type(text).__name__}")
    return _compile(text)


@functools.lru_cache(maxsize=1024)
def _compile(text):
    if text == "":
        raise PatternError("a serial pattern cannot be empty")
    slots = []
    regex = []
    index = 0
    while index < len(text):
        character = text[index]
        if character == ESCAPE:
            if index + 1 == len(text):
                raise PatternError(
                    f"pattern {text!r} ends with an escape '\\' at position {index + 1} that has no character to escape"
                )
            literal = text[index + 1]
            slots.append((None, literal))
            regex.append(re.escape(literal))
            index += 2
            continue
        if character in WILDCARDS:
            slots.append((character, None))
            regex.append(WILDCARDS[character][0])
        else:
            slots.append((None, character))
            regex.append(re.escape(character))
        index += 1
    return SerialPattern(text, tuple(slots), re.compile("".join(regex), re.DOTALL))
