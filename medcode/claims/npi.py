"""National Provider Identifier (NPI) check digit: Luhn with the 80840 prefix.

CMS's "Requirements for NPI Check Digit" (NPPES) defines the tenth digit of an NPI as a Luhn
(modulus 10 "double-add-double") check digit computed as if the card-issuer prefix 80840
(80 = health applications, 840 = United States) stood in front of the nine-digit base. Adding
the constant 24 is the same as adding the prefix's digits, so a scrubber can catch a typed-in
NPI with one wrong or swapped digit before the payer rejects the claim.
"""
from __future__ import annotations

import random

__all__ = ["check_digit", "is_valid", "explain", "example"]

PREFIX = "80840"


def _luhn_total(digits: str) -> int:
    """Luhn sum of ``digits`` with doubling starting at the rightmost digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return total


def check_digit(base: str) -> int:
    """The tenth digit for a nine-digit NPI base."""
    if len(base) != 9 or not base.isdigit():
        raise ValueError(f"an NPI base is 9 digits, not {base!r}")
    return (10 - _luhn_total(PREFIX + base) % 10) % 10


def is_valid(npi) -> bool:
    """True when ``npi`` is 10 digits and its last digit is the Luhn check digit."""
    text = str(npi).strip() if isinstance(npi, (str, int)) and not isinstance(npi, bool) else ""
    return len(text) == 10 and text.isdigit() and check_digit(text[:9]) == int(text[9])


def explain(npi) -> str | None:
    """Why ``npi`` is not a valid NPI, in plain English; None when it is valid."""
    text = str(npi).strip() if npi is not None else ""
    if not (len(text) == 10 and text.isdigit()):
        return f"an NPI is exactly 10 digits; {text!r} is not."
    if text[0] not in "12":
        return f"NPIs are issued starting with 1 or 2; {text} starts with {text[0]}."
    if not is_valid(text):
        return (f"{text} fails the NPI check digit (Luhn with the 80840 prefix): the last "
                f"digit should be {check_digit(text[:9])}. Look for a mistyped digit.")
    return None


def example(rng: random.Random) -> str:
    """A synthetic NPI that passes the check digit, for EXAMPLE providers only."""
    base = str(rng.choice("12")) + "".join(str(rng.randrange(10)) for _ in range(8))
    return base + str(check_digit(base))
