"""GitHub's ``primaryLocationLineHash``: a rolling hash of the text that starts at each line.

A port of ``hash()`` in github/codeql-action ``src/fingerprints.ts`` (the upload-sarif step fills
``partialFingerprints.primaryLocationLineHash`` with it when a result has none); the tests check
it against the vectors of that repository's ``src/fingerprints.test.ts``. Emitting the value
ourselves makes uploads through the REST API (which compute nothing) match uploads through the
action, so an alert keeps its identity whichever way the SARIF file reached GitHub.

The algorithm, per line: skip spaces and tabs, turn ``\\r\\n`` and a lone ``\\r`` into ``\\n``,
and hash the next 100 remaining UTF-16 code units (padded past the end of the file with a
65535 marker and zeros) as a base-37 polynomial in wrapping 64-bit arithmetic. The value is
printed in unsigned hexadecimal, followed by ``:n`` where ``n`` counts earlier lines of the same
file with the same hash.
"""

from __future__ import annotations

import sys
from array import array

BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1  # the TypeScript code wraps in a signed 64-bit Long; the bits are the same
_FIRST_MOD = pow(_MOD, BLOCK_SIZE, 1 << 64)
_TAB, _SPACE, _LF, _CR = 9, 32, 10, 13
_EOF = 65535  # what the TypeScript code feeds after the last character


def line_hashes(text: str) -> list[str]:
    """The ``primaryLocationLineHash`` of every line of ``text``; index 0 is line 1.

    Lines are split as GitHub splits them (``\\r\\n``, ``\\r`` or ``\\n``); a text ending with a
    line break has one more, empty, line after it.
    """
    units = array("H", text.encode("utf-16-le"))  # JavaScript strings are UTF-16 code units
    if sys.byteorder == "big":
        units.byteswap()
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE  # the line that starts at this window slot, or -1
    hashes: list[str] = []
    counts: dict[str, int] = {}
    value = 0
    index = 0
    line_number = 0
    line_start = True
    prev_cr = False

    def output() -> None:
        hex_value = format(value, "x")
        counts[hex_value] = counts.get(hex_value, 0) + 1
        # Lines come out in order, so the list index is the line number minus one.
        hashes.append(f"{hex_value}:{counts[hex_value]}")
        line_numbers[index] = -1

    def update(current: int) -> None:
        nonlocal value, index
        begin = window[index]
        window[index] = current
        value = (_MOD * value + current - _FIRST_MOD * begin) & _MASK
        index = (index + 1) % BLOCK_SIZE

    def process(current: int) -> None:
        nonlocal line_number, line_start, prev_cr
        if current in (_SPACE, _TAB) or (prev_cr and current == _LF):
            prev_cr = False
            return
        if current == _CR:
            current = _LF
            prev_cr = True
        else:
            prev_cr = False
        if line_numbers[index] != -1:
            output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        if current == _LF:
            line_start = True
        update(current)

    for unit in units:
        process(unit)
    process(_EOF)
    for _ in range(BLOCK_SIZE):  # flush the lines still in the window
        if line_numbers[index] != -1:
            output()
        update(0)
    return hashes
