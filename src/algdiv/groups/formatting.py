"""Printing group orders, which can have thousands of digits.

Python refuses ``str(n)`` beyond 4300 digits (``sys.set_int_max_str_digits``, a
process-wide setting this module never touches).  :func:`format_order` prints an order
exactly when it is short and as ``1.234e+5735 (5736 digits)`` otherwise, naming a power
of two as such; ``exact=True`` gives every digit by splitting the number into chunks that
are each short enough for ``str``.
"""

from __future__ import annotations

import math

from .._validation import as_int

__all__ = ["format_order", "decimal_digits"]

_CHUNK = 4000  # digits per piece in exact printing (below Python's 4300 limit)


def decimal_digits(n: int) -> int:
    """The number of decimal digits of ``|n|`` (1 for 0), without converting it to text.

    Examples
    --------
    >>> decimal_digits(0), decimal_digits(999), decimal_digits(1000), decimal_digits(2**20000)
    (1, 3, 4, 6021)
    """
    n = abs(int(n))
    if n < 10:
        return 1
    estimate = int(_log10(n))
    # log10 is accurate to ~1e-12 relative; settle the floor exactly near a power of ten.
    if n >= 10**estimate * 10:
        estimate += 1
    elif n < 10**estimate:
        estimate -= 1
    return estimate + 1


def _log10(n: int) -> float:
    shift = max(n.bit_length() - 60, 0)
    return math.log10(n >> shift) + shift * math.log10(2)


def _exact(n: int) -> str:
    """All digits of ``n >= 0``, by divide and conquer on powers of ten."""
    if n < 10**_CHUNK:
        return str(n)
    digits = decimal_digits(n)
    half = (digits // 2 // _CHUNK) * _CHUNK or _CHUNK
    high, low = divmod(n, 10**half)
    return _exact(high) + _exact(low).rjust(half, "0")


def format_order(n: int, *, exact: bool = False, max_digits: int = 30) -> str:
    """A group order (or any non-negative int) as readable text, however large.

    Parameters
    ----------
    n : int
        The number (a Python int, possibly with millions of digits).
    exact : bool
        Give every digit (slow beyond a few hundred thousand digits).
    max_digits : int
        Numbers with at most this many digits are always printed exactly.

    Returns
    -------
    str
        ``"120"``, or ``"1.798e+307 (308 digits) = 2^1023"``, or
        ``"3.316e+5735 (5736 digits)"``.

    Examples
    --------
    >>> format_order(120)
    '120'
    >>> format_order(2**1023)
    '8.988e+307 (308 digits) = 2^1023'
    >>> from math import factorial
    >>> format_order(factorial(2000))
    '3.316e+5735 (5736 digits)'
    >>> len(format_order(factorial(2000), exact=True))
    5736
    """
    n = as_int(n, "n")  # also numpy and sympy integers
    if n < 0:
        return "-" + format_order(-n, exact=exact, max_digits=max_digits)
    digits = decimal_digits(n)
    if exact or digits <= max_digits:
        return _exact(n)
    if digits <= 300:
        lead = n // 10 ** (digits - 4)
    else:
        frac = _log10(n) - (digits - 1)
        lead = min(int(round(10 ** (frac + 3))), 9999)
    text = f"{lead // 1000}.{lead % 1000:03d}e+{digits - 1} ({digits} digits)"
    if n & (n - 1) == 0:
        text += f" = 2^{n.bit_length() - 1}"
    return text
