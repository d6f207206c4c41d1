"""Claims and billing: the CMS-1500 claim, scrubbing, 837P, 835 remittance and the ledger.

One module per idea::

    model    the CMS-1500 claim (items 1-33) as data, read from and written to JSON
    npi      the NPI check digit (Luhn with the 80840 prefix)
    codes    place of service, CARC, RARC and group codes (CARC/RARC in our own words)
    scrub    findings with CMS-1500 item numbers, before a claim is sent
    x837p    the X12 837P (005010X222A1) interchange for a clean claim
    remit    reading an X12 835 remittance into payments and adjustments; the patient ledger
    render   a filled CMS-1500 as HTML to look at
    history  a synthetic practice's claim history (pandas), reproducible from a seed
    metrics  revenue-cycle metrics on that history
    appeals  the five levels of Medicare Part A/B appeal with their time limits

Run ``python -m medcode.claims --help`` for the command line.
"""
from . import codes, model, npi, scrub, x837p
from .model import Claim, ClaimError, load, loads, from_dict, SCHEMA, schema_markdown
from .x837p import to_837p

__all__ = ["codes", "model", "npi", "scrub", "x837p", "Claim", "ClaimError", "load", "loads",
           "from_dict", "SCHEMA", "schema_markdown", "to_837p", "samples", "sample"]


def samples() -> list[str]:
    """The names of the sample claims shipped with the course (medcode/data/claims/samples)."""
    from .codes import DATA
    return sorted(p.stem for p in (DATA / "samples").glob("*.json"))


def sample(name: str) -> Claim:
    """A sample claim by name ("01_office_visit_self") or by number ("01" or 1)."""
    from .codes import DATA
    key = f"{int(name):02d}" if str(name).isdigit() else str(name)
    matches = [n for n in samples() if n == key or n.startswith(key + "_")]
    if len(matches) != 1:
        raise ClaimError("file", f"no single sample claim matches {name!r}; "
                                 f"choose one of {', '.join(samples())}")
    return load(DATA / "samples" / f"{matches[0]}.json")
