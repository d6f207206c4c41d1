"""HIPAA Safe Harbor de-identification of free-text clinical notes.

The Privacy Rule's Safe Harbor method (45 CFR 164.514(b)(2)) says health information is
de-identified when 18 kinds of identifier of the individual, and of relatives, employers and
household members, are removed and the covered entity has no actual knowledge that what is
left could identify the person. This module finds those identifiers in plain text:

* ``find_phi(text)`` returns ``[(start, end, kind), ...]``: character spans and what they are;
* ``redact(text)`` replaces each span with its bracketed kind, e.g. ``[NAME]``, ``[DATE]``.

Names: a note names people the software has never seen, so names are found from how notes
write them (titles, "Pt:", "Patient", relatives, "Last, First") and, where no such cue word is
there, from a gazetteer of given names and common surnames (the US Census 1990 files,
``data/deid/SOURCE.md``): "Maria Exampleton came in", "Quang Tran-Example". Every name found
is then looked for again elsewhere in the same note. Every person's name is removed,
clinicians' included, because a clinician's name narrows down who the patient is. Numbers and
serials with no label are found by their shape (letters and digits mixed, or a long run of
digits), phones in every US spelling; the code sets' codes, doses and scales keep their
shapes and are left alone.

Clinical content is left alone on purpose: diagnoses, drug doses, vital signs (a blood
pressure of 120/80 is not a date), codes and an age of 45 are what makes the note useful.
Ages over 89 are removed, and so is a birth year that reveals one (45 CFR 164.514(b)(2)(i)(C)).

``parse_labelled`` and ``score`` measure the rules on notes whose identifiers are marked
``{{KIND:text}}``; the course's tests hold the rules to a recall and a precision floor.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

__all__ = ["IDENTIFIERS", "RESTRICTED_ZIP3", "find_phi", "redact", "zip3",
           "parse_labelled", "read_labelled", "score", "measure"]

# The 18 identifiers of 45 CFR 164.514(b)(2)(i)(A)-(R), with the bracketed kind this module uses.
IDENTIFIERS = {
    "A": ("Names", "NAME"),
    "B": ("Geographic subdivisions smaller than a State (street address, city, county, "
          "precinct, ZIP code; the first 3 ZIP digits may stay when that area has more than "
          "20,000 people)", "ADDRESS/ZIP"),
    "C": ("All elements of dates (except year) directly related to the individual; all ages "
          "over 89 and date elements (including year) that reveal such an age", "DATE/AGE"),
    "D": ("Telephone numbers", "PHONE"),
    "E": ("Fax numbers", "FAX"),
    "F": ("Electronic mail addresses", "EMAIL"),
    "G": ("Social Security numbers", "SSN"),
    "H": ("Medical record numbers", "MRN"),
    "I": ("Health plan beneficiary numbers", "HEALTH_PLAN"),
    "J": ("Account numbers", "ACCOUNT"),
    "K": ("Certificate/license numbers", "LICENSE"),
    "L": ("Vehicle identifiers and serial numbers, including license plate numbers", "VEHICLE"),
    "M": ("Device identifiers and serial numbers", "DEVICE"),
    "N": ("Web Universal Resource Locators (URLs)", "URL"),
    "O": ("Internet Protocol (IP) address numbers", "IP"),
    "P": ("Biometric identifiers, including finger and voice prints", "BIOMETRIC"),
    "Q": ("Full face photographic images and any comparable images", "PHOTO"),
    "R": ("Any other unique identifying number, characteristic, or code", "ID"),
}

# Three-digit ZIP areas of 20,000 or fewer people (2000 Census), which Safe Harbor says must
# become "000". Listed in HHS OCR, "Guidance Regarding Methods for De-identification of
# Protected Health Information" (November 26, 2012), which also says to use newer Census
# figures once they are published.
RESTRICTED_ZIP3 = frozenset({"036", "059", "063", "102", "203", "556", "692", "790", "821",
                             "823", "830", "831", "878", "879", "884", "890", "893"})


def zip3(zip_code: str) -> str:
    """The part of a ZIP code Safe Harbor lets you keep: its first 3 digits, or "000".

    "000" when the 3-digit area is one of the small-population areas in RESTRICTED_ZIP3.
    """
    digits = re.sub(r"\D", "", str(zip_code))[:3]
    if len(digits) != 3:
        raise ValueError(f"{zip_code!r} is not a ZIP code")
    return "000" if digits in RESTRICTED_ZIP3 else digits


# --------------------------------------------------------------------------- building blocks

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_MM = r"(?:0?[1-9]|1[0-2])"
_DD = r"(?:0?[1-9]|[12]\d|3[01])"
_ANY_MONTH = rf"(?:{_MONTH}|{_MONTH.upper()})"
_WORD = r"(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_CAPS = r"[A-Z]{2,}(?:-[A-Z]{2,})?"
_NAME = rf"{_WORD}(?:[ \t]+(?:[A-Z]\.|{_WORD})){{0,2}}"
_LAST_FIRST = rf"(?:{_WORD}|{_CAPS}),[ \t]*(?:{_WORD}|{_CAPS})(?:[ \t]+[A-Z]\.?)?"
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Nurse)\.?"
_STATES = ("AL AK AZ AR CA CO FL GA IA IL KS KY LA MI MN MO MS MT NC ND NE NH NJ NM NV NY OH "
           "RI SC SD TN TX UT VA VT WA WI WV WY DC").split()
# Postal abbreviations that are also credentials or words (MD, PA, MA, OR ...): only with a ZIP.
_AMBIGUOUS_STATES = "MD PA MA OR IN ME OK CT HI DE ID".split()
_STATE_NAMES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|"
                "Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|"
                "Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|"
                "Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
                "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
                "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
                "Wisconsin|Wyoming")
_STREET_TYPE = (r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|"
                r"Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|"
                r"Loop|Row|Pike)")
_ZIP = r"\d{5}(?:-\d{4})?"

# Capitalised words that follow "Patient", "Name:" and the like without being names.
_NOT_NAMES = frozenset("""
    Education History Instructions Plan Portal Assessment Information Summary Care Notes Note
    Name Identification Status Consent Declined Unknown None Not No Yes Self Left Right Today
    Yesterday Is Was The This That He She They His Her Reports Presents States Denies Has Had
    Will Returns Arrives Seen Here Medicare Medicaid Chart Record Medical Visit Phone Fax Email
    Address Date Age Sex Male Female Type Follow Up Reason Chief Complaint Diagnosis Procedure
    Signed Provider Patient Attending Physician Nurse Home Work Clinic Hospital General Health
    Rehab Center Centre Pharmacy Works Co Inc Services Group Associates Department Lab Laboratory
    Imaging Radiology Urgent Emergency Insurance Plan Therapy Physical Dear Re Sincerely
    Dr Mr Mrs Ms Miss Mx Prof
""".split())

_RELATIVES = (r"(?:wife|husband|spouse|partner|mother|father|mom|dad|son|daughter|sister|brother|"
              r"grandmother|grandfather|granddaughter|grandson|aunt|uncle|niece|nephew|cousin|"
              r"friend|neighbou?r|roommate|caregiver|fianc[ée]e?|guardian|stepson|stepdaughter)")
_LABEL = (r"(?:Patient(?:[ \t]+name)?|Pt|Name|Re|Caller|Employee|Provider|Rendering provider|Physician|Attending|PCP|"
          r"Referring(?:[ \t]+(?:provider|physician))?|Referred by|Signed by|Electronically signed by|"
          r"Seen by|Guarantor|Emergency contact|Next of kin|NOK|Insured|Subscriber|Caregiver|"
          r"Interpreter|Scribe|Dictated by|Transcribed by|Authored by|Witness|cc)")
_VERBS = (r"(?:reports|reported|presents|presented|states|stated|denies|complains|returns|"
          r"returned|was|has|had|lives|transferred|underwent|tolerated|feels|notes|agrees|declines|"
          r"requests|requested|emailed|called|arrives|arrived)")
_AGE_AFTER = r"\d{1,3}(?:,|[ \t]*-?[ \t]*(?:years?|yrs?|yo|y/o|months?)\b|[MF]\b)"
# (rule, strict): a strict rule's match is dropped, not trimmed, when it holds a non-name word.
_NAME_RULES = [
    (re.compile(rf"\b{_TITLE}[ \t]+(?P<v>{_NAME})"), False),
    (re.compile(rf"(?i:\b{_LABEL})[ \t]*[:\-][ \t]*(?:{_TITLE}[ \t]+)?(?P<v>{_LAST_FIRST}|{_NAME}|{_CAPS}(?:[ \t]+{_CAPS})+)"), False),
    (re.compile(rf"(?i:\b(?:note|visit|encounter|summary|letter))[ \t]*(?:\u2014|\u2013|-|:|for)[ \t]+(?P<v>{_NAME})"), False),
    (re.compile(rf"\b(?:[Pp]atient|Pt)\.?,?[ \t]+(?P<v>{_NAME})"), False),
    (re.compile(rf"(?i:\b{_RELATIVES}),?[ \t]+(?:(?i:named)[ \t]+)?(?P<v>{_NAME})"), False),
    (re.compile(rf"\b(?P<v>{_NAME}),[ \t]+(?i:(?:his|her|their|the patient's|pt's)[ \t]+{_RELATIVES})"), False),
    (re.compile(rf"(?i:\b(?:named|called|accompanied by|brought in by|lives with|spoke with|"
                rf"discussed with|message from|message to|per|staff member|"
                rf"(?:seen|signed|dictated|referred|found|ordered|reviewed|approved|performed|written|"
                rf"entered|reported|requested|completed) by))[ \t]+(?:{_TITLE}[ \t]+)?(?P<v>{_NAME})"), False),
    (re.compile(rf"\b(?P<v>{_NAME})(?=,?[ \t]+(?:(?:is|was)[ \t]+)?an?[ \t]+\d{{1,3}}[ \t-]*(?:year|yo\b|y/o|month))"), True),
    (re.compile(rf"\b(?P<v>{_NAME})(?=[ \t]*\((?:DOB|MRN|age|born)|,[ \t]+(?:DOB|MRN|age|aged|born)\b|"
                rf"[ \t]+and[ \t]+(?:his|her|their)[ \t]+(?:DOB|date of birth|MRN|address|phone|SSN)\b)"), True),
    # A heading, then a name opening the note: "Dermatology. Elif Specimen has ..."
    (re.compile(rf"^[A-Z][A-Za-z -]{{2,40}}\.[ \t]+(?P<v>{_WORD}[ \t]+{_WORD})\b(?![ \t]+[A-Z])", re.M), True),
    (re.compile(rf"\b(?P<v>{_WORD}[ \t]+{_WORD})(?=,[ \t]+{_AGE_AFTER})"), True),
    (re.compile(rf"\b(?P<v>{_WORD}[ \t]+{_WORD})(?=(?:'s)?[ \t]+{_VERBS}\b)"), True),
    (re.compile(rf"^(?P<v>{_NAME})[ \t]*\n(?=[ \t]*(?:\d{{1,6}}[ \t]+\w|P\.?[ \t]?O\.?[ \t]+Box))", re.M), True),
]
_EMPLOYER = re.compile(r"(?i:\b(?:works (?:at|for)|employed (?:at|by)|employer:?|job at))[ \t]+"
                       r"(?P<v>[A-Z][A-Za-z&'.-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][A-Za-z&'.-]*){0,4})")

_DATE_RULES = [
    re.compile(rf"\b{_MM}[/-]{_DD}[/-](?:\d{{4}}|\d{{2}})\b"),
    re.compile(rf"\b\d{{4}}[-/.]{_MM}[-/.]{_DD}\b"),
    re.compile(rf"\b{_MM}\.{_DD}\.(?:\d{{4}}|\d{{2}})\b"),
    re.compile(rf"\b{_DD}(?:st|nd|rd|th)?(?:[ -]|[ \t]+of[ \t]+){_ANY_MONTH}(?:\.(?=[ ,-]*\d))?(?:[ ,-]+(?:\d{{4}}|'?\d{{2}})\b)?"),
    re.compile(rf"\b{_MONTH}\.?[ \t]+{_DD}(?:st|nd|rd|th)?\b(?:,?[ \t]+\d{{4}}\b)?"),
    re.compile(rf"\b{_MONTH}\.?,?[ \t]+\d{{4}}\b"),
    re.compile(rf"\b\d{{1,2}}{_ANY_MONTH}\d{{2,4}}\b"),
    re.compile(r"(?i:\b(?:on|since|from|until|till|dated|dos|dob|dod|admitted|discharged|seen|born|"
               r"through|thru|visit|date|today|yesterday|tomorrow),?:?)[ \t]+(?P<v>" + _MM + "/" + _DD + r")\b(?![/\d])"),
    re.compile(r"\b(?:in|since|during|until|early|late|mid-?|last|next|this)[ \t]+(?P<v>January|"
               r"February|March|April|May|June|July|August|September|October|November|December)\b"),
]
_AGE_RULES = [
    re.compile(r"\b(?P<v>\d{2,3})[ \t]*-?[ \t]*(?:years?|yrs?)[ \t-]*old\b", re.I),
    re.compile(r"\b(?P<v>\d{2,3})(?:[ \t]*(?:y/?o|yo|y\.o\.|yrs?|years)(?!\w)|[MF]\b)"),
    # "Yolanda Example-Reyes, 90, lives alone": an age set off by commas after a name
    re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?,[ \t]+(?P<v>\d{2,3})(?=[ \t]*[,;])"),
    re.compile(r"(?i:\b(?:age|aged|age:))[ \t]*(?P<v>\d{2,3})\b"),
]
_BIRTH_YEAR = re.compile(r"(?i:\b(?:born(?:[ \t]+in)?|b\.|year of birth:?|YOB:?|DOB:?))[ \t]*"
                         r"(?P<v>(?:18|19|20)\d{2})\b(?![/-])")

_PHONE = re.compile(r"(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
                    r"(?:[ ]?(?:x|ext\.?)[ ]?\d{1,5})?(?![\w-])")
# A number written without its area code (555-0134, 555.0192) or with no separators at all.
_SEVEN_DIGITS = re.compile(r"(?<![\w.\-/$])\d{3}[-.]\d{4}(?![\w\-/]|\.\d)")
_TEN_DIGITS = re.compile(r"(?<![\w\-/$])(?:\+?1)?[2-9]\d{2}[2-9]\d{6}(?![\w\-/])")
_LOCAL_PHONE = re.compile(r"(?i:\b(?:phone|tel|cell|mobile|pager|fax|call(?:back)?)[ \t]*"
                          r"(?:number|no\.?|#)?[ \t]*:?)[ \t]*(?P<v>\d{3}[-.]\d{4})\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+")
_IP = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.]*\d)")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_VIN = re.compile(r"\b(?=[A-HJ-NPR-Z0-9]*\d[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z]"
                  r"[A-HJ-NPR-Z0-9]*\d)[A-HJ-NPR-Z0-9]{17}\b")

_NUM = r"(?:number|no\.?|num\.?|#|ID)"
_ID_LABELS = {
    "SSN": rf"SSN|SS#|social security(?:[ \t]+{_NUM})?",
    "MRN": rf"MRN|MR#|MR[ \t]?no\.?|medical record(?:[ \t]+{_NUM})?|chart[ \t]+{_NUM}|patient[ \t]+ID|hospital[ \t]+{_NUM}",
    "HEALTH_PLAN": (rf"member[ \t]+{_NUM}|subscriber[ \t]+{_NUM}|policy[ \t]+{_NUM}|"
                    rf"health[ \t]+plan(?:[ \t]+beneficiary)?[ \t]+{_NUM}|beneficiary[ \t]+{_NUM}|MBI|"
                    rf"Medicare(?:[ \t]+Beneficiary[ \t]+Identifier|[ \t]+{_NUM})|Medicaid[ \t]+{_NUM}|"
                    rf"group[ \t]+{_NUM}|insurance[ \t]+{_NUM}|plan[ \t]+{_NUM}"),
    "ACCOUNT": (rf"account(?:[ \t]+{_NUM})?|acct\.?(?:[ \t]+{_NUM})?|billing[ \t]+account|"
                rf"encounter[ \t]+{_NUM}|visit[ \t]+{_NUM}|claim[ \t]+{_NUM}|invoice[ \t]+{_NUM}|"
                rf"(?:credit[ \t]+)?card[ \t]+{_NUM}"),
    "LICENSE": (rf"(?:driver'?s[ \t]+)?licen[cs]e(?:[ \t]+{_NUM})?|DEA(?:[ \t]+{_NUM})?|"
                rf"certificate(?:[ \t]+{_NUM})?|passport(?:[ \t]+{_NUM})?|permit[ \t]+{_NUM}"),
    "VEHICLE": rf"licen[cs]e[ \t]+plate(?:[ \t]+{_NUM})?|plate[ \t]+{_NUM}|VIN|vehicle[ \t]+{_NUM}|tag[ \t]+{_NUM}",
    "DEVICE": (rf"serial(?:[ \t]+{_NUM})?|S/N|device[ \t]+(?:{_NUM}|identifier|serial)|UDI|"
               rf"implant[ \t]+(?:{_NUM}|serial)"),
    "ID": (rf"NPI|employee[ \t]+{_NUM}|badge[ \t]+{_NUM}|student[ \t]+{_NUM}|case[ \t]+{_NUM}|"
           rf"study[ \t]+{_NUM}|biometric[ \t]+{_NUM}|fingerprint[ \t]+{_NUM}"),
}
_ID_VALUE = r"[ \t]*(?:is|was|:|#|=|-)?[ \t]*#?[ \t]*(?P<v>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}(?<!-))"
_ID_RULES = [(kind, re.compile(rf"(?i:\b(?:{label}))" + _ID_VALUE)) for kind, label in _ID_LABELS.items()]

# Identifiers found by their shape, with no label before them: a token that mixes letters and
# at least three digits, or seven digits or more (plates, serials, accession and study numbers).
# Codes of the code sets keep their shapes and are left alone (see _is_code_shaped).
_SHAPED = re.compile(r"(?<![\w.\-/])(?:\(\d{2}\)[0-9A-Za-z()]+|[A-Za-z0-9][A-Za-z0-9_\-]*[A-Za-z0-9])"
                     r"(?![\w\-/]|\.\d)")
_CODE_SHAPED = re.compile(r"^(?:[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?|(?:\d{4}[0-9FTU]|[A-V]\d{4})(?:-[0-9A-Z]{2})*|"
                          r"\d+(?:\.\d+)?(?:mg|mcg|ml|mL|kg|g|cm|mm|mmHg|L|F|C|h|hr|min|x|am|pm)|"
                          r"\d{1,4}(?:-\d{1,4})?)$")
_SERIAL = re.compile(r"\bS/?N:?[ \t]*#?[ \t]*[0-9][\w-]+")
_MEDIA_FILE = re.compile(r"\b[\w-]+\.(?:jpe?g|png|gif|tiff?|bmp|heic|dcm|wav|mp3|mp4|mov)\b", re.I)
_COMPANY = re.compile(r"\b(?:[A-Z][A-Za-z&'\-]+[ \t]+){1,3}(?:Inc|LLC|Corp|Corporation|Company|Ltd|LLP)\b\.?")
_USER = re.compile(r"(?i:\b(?:username|user[ \t]+name|user[ \t]+ID|login[ \t]+ID|login:|user:))[ \t]*"
                   r"(?P<v>[a-z][\w.\-]{2,})\b")

_STREET = re.compile(rf"\b\d{{1,6}}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:{_WORD}\.?[ \t]+){{1,3}}{_STREET_TYPE}\b\.?"
                     r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?[ \t]*#?\w+)?")
_PO_BOX = re.compile(r"\bP\.?[ \t]?O\.?[ \t]+Box[ \t]+\d+\b", re.I)
_CITY_STATE = re.compile(rf"\b(?P<v>(?:{_WORD}[ \t]+){{0,2}}{_WORD}),[ \t]+(?:(?P<st>{'|'.join(_STATES)})\b(?![.\w])"
                         rf"|(?:{'|'.join(_AMBIGUOUS_STATES)}|{_STATE_NAMES})(?=[ \t]+{_ZIP}\b)|(?:{_STATE_NAMES})\b)")
_STATE_ZIP = re.compile(rf"\b(?:{'|'.join(_STATES + _AMBIGUOUS_STATES)}|{_STATE_NAMES}),?[ \t]+(?P<v>{_ZIP})\b")
_ZIP_LABEL = re.compile(rf"(?i:\b(?:zip(?:[ \t]?code)?|postal[ \t]+code)[ \t]*(?:is|:|#)?)[ \t]*(?P<v>{_ZIP})\b")
_COUNTY = re.compile(rf"\b(?:{_WORD}[ \t]+){{1,2}}(?:County|Parish|Borough)\b")
_CITY_COUNTY = re.compile(rf"\b(?P<v>{_WORD}),[ \t]+(?:{_WORD}[ \t]+){{1,2}}(?:County|Parish|Borough)\b")
_PLACE = rf"{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
_TOWNS = [
    re.compile(rf"(?i:\b(?:resident of|moved (?:here )?(?:from|to)|relocated (?:from|to)|town of|"
               rf"city of|village of|native of|grew up in|visiting from|home in))[ \t]+(?P<v>{_PLACE})"),
    re.compile(rf"(?i:\b(?:lives|living|resides|residing)\b)[^.\n]{{0,40}}?\bin[ \t]+(?P<v>{_PLACE})"),
    re.compile(rf"(?i:\b(?:moved|relocated)[ \t]+from)[ \t]+{_PLACE}[ \t]+to[ \t]+(?P<v>{_PLACE})"),
]


# --------------------------------------------------------------------------- finding

_CITY_AFTER_STREET = re.compile(_STREET.pattern + rf",[ \t]+(?P<v>{_WORD}(?:[ \t]+{_WORD})?)\b(?![ \t]+{_STREET_TYPE})")


def _is_code_shaped(token: str) -> bool:
    """A code of a code set, a dose or a measurement: clinical content, not an identifier."""
    return bool(_CODE_SHAPED.match(token))


def _shaped_ids(text: str):
    """Identifiers recognised by their shape alone (see _SHAPED)."""
    for m in _SHAPED.finditer(text):
        token = m.group()
        digits = sum(ch.isdigit() for ch in token)
        letters = sum(ch.isalpha() for ch in token)
        if len(token) >= 5 and digits >= 3 and (letters or digits >= 7) \
                and not _is_code_shaped(token):
            yield m.start(), m.end(), "ID"


def _spans(rule: re.Pattern, text: str, kind: str):
    """Each match of ``rule`` as a span; the named group ``v`` when the rule has one."""
    for m in rule.finditer(text):
        start, end = m.span("v") if "v" in rule.groupindex else m.span()
        if end > start:
            yield start, end, kind


def _names(text: str):
    """Person names from how notes write them, trimmed of trailing non-name words."""
    for rule, strict in _NAME_RULES:
        for start, end, kind in _spans(rule, text, "NAME"):
            words = [(start + m.start(), start + m.end(), m.group().strip(".,"))
                     for m in re.finditer(r"\S+", text[start:end])]
            kept = list(words)
            while kept and kept[-1][2].title() in _NOT_NAMES:
                kept.pop()
            if kept and kept[0][2].title() not in _NOT_NAMES and not (strict and kept != words):
                yield start, kept[-1][1], kind


# Name words that join a given name to a surname: "Sofia van der Example", "Vincent De La Testa".
_PARTICLE = r"(?:van|von|der|den|de|del|della|da|di|du|la|le|Van|Von|De|Del|Della|Da|Di|Du|La|Le)"
_FOLLOWING = re.compile(rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}(?:[A-Z]\.|{_WORD})){{1,3}}")
_CAPITAL_WORD = re.compile(rf"\b{_WORD}\b")
_HYPHENATED = re.compile(rf"\b(?:{_WORD}[ \t]+)?(?P<h>[A-Z][a-z]+-[A-Z][a-z]+)\b")
# Given names that are also months or everyday words at the start of a sentence.
_NOT_GIVEN = frozenset("April May June August Will Mark Bill Pat Sue Art Guy Sky Page Lane Dale "
                       "Rose Iris Grace Joy Hope Faith Dawn Summer Autumn Ray Gene Frank Jack "
                       "Major Rich Young King Case Tory Else See Let Said".split())


@lru_cache(maxsize=None)
def _gazetteer(name: str) -> frozenset[str]:
    """Census 1990 given names or common surnames (``data/deid``, see its SOURCE.md)."""
    return frozenset((Path(__file__).resolve().parent / "data" / "deid" / f"{name}.txt")
                     .read_text(encoding="ascii").split())


def _trimmed(text: str, start: int, end: int) -> int:
    """The end of a name once trailing words that are no part of a name are cut off."""
    words = [(start + m.start(), start + m.end(), m.group().strip(".,"))
             for m in re.finditer(r"\S+", text[start:end])]
    while len(words) > 1 and (words[-1][2].title() in _NOT_NAMES
                              or re.fullmatch(_PARTICLE, words[-1][2])):
        words.pop()
    return words[-1][1]


def _known_names(text: str):
    """Names with no title or label before them, found by a gazetteer of real names.

    A known given name followed by name words ("Maria Exampleton", "Emma Louise Sampleford",
    "Sofia van der Example"), and a hyphenated surname one of whose parts is a common surname
    ("Quang Tran-Example"), with the word before it when that is capitalised.
    """
    given, surnames = _gazetteer("given_names"), _gazetteer("surnames")
    for m in _CAPITAL_WORD.finditer(text):
        word = m.group()
        if word in given and word not in _NOT_GIVEN and word not in _NOT_NAMES:
            tail = _FOLLOWING.match(text, m.end())
            if tail:
                end = _trimmed(text, m.start(), tail.end())
                if end > m.end():
                    yield m.start(), end, "NAME"
    for m in _HYPHENATED.finditer(text):
        parts = m["h"].split("-")
        if any(part in surnames for part in parts) and not any(p in _NOT_NAMES for p in parts):
            first = m.group().split()[0]
            start = m.start() if first not in _NOT_NAMES and first != m["h"] else m.start("h")
            yield start, m.end(), "NAME"


def _name_tokens(text: str, spans) -> set[str]:
    """The words of every name found, to look for again elsewhere in the same note."""
    tokens = set()
    for start, end, kind in spans:
        if kind == "NAME":
            for word in re.findall(r"[A-Za-z][A-Za-z'-]+", text[start:end]):
                if len(word) >= 3 and word.title() not in _NOT_NAMES:
                    tokens.add(word)
    return tokens


def _repeated_names(text: str, people):
    """Other mentions of a person already found ("Ada" after "Patient: Ada Testpatient")."""
    tokens = _name_tokens(text, people)
    if tokens:
        rule = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, tokens), key=len, reverse=True)) + r")\b")
        yield from _spans(rule, text, "NAME")


def _ages(text: str, today: date):
    """Ages over 89, and birth years that reveal one; an age of 45 stays."""
    for rule in _AGE_RULES:
        for start, end, kind in _spans(rule, text, "AGE"):
            if 89 < int(text[start:end]) < 130:
                yield start, end, kind
    for start, end, _ in _spans(_BIRTH_YEAR, text, "DATE"):
        if today.year - int(text[start:end]) > 89:
            yield start, end, "AGE"


def _fax_or_phone(text: str, start: int, end: int) -> tuple[int, int, str]:
    before = text[max(0, start - 16):start].lower()
    return start, end, "FAX" if "fax" in before else "PHONE"


def _all_spans(text: str, today: date):
    for kind, rule in (("EMAIL", _EMAIL), ("URL", _URL), ("IP", _IP), ("SSN", _SSN),
                       ("VEHICLE", _VIN), ("ADDRESS", _STREET), ("ADDRESS", _PO_BOX),
                       ("ADDRESS", _CITY_STATE), ("ADDRESS", _COUNTY),
                       ("ZIP", _STATE_ZIP), ("ZIP", _ZIP_LABEL), ("DEVICE", _SERIAL),
                       ("PHOTO", _MEDIA_FILE), ("NAME", _COMPANY), ("ID", _USER),
                       ("ADDRESS", _CITY_COUNTY), ("ADDRESS", _CITY_AFTER_STREET)):
        yield from _spans(rule, text, kind)
    for rule in (_PHONE, _LOCAL_PHONE, _SEVEN_DIGITS, _TEN_DIGITS):
        for start, end, _ in _spans(rule, text, "PHONE"):
            yield _fax_or_phone(text, start, end)
    for kind, rule in _ID_RULES:
        yield from _spans(rule, text, kind)
    for rule in _TOWNS:
        yield from _spans(rule, text, "ADDRESS")
    for rule in _DATE_RULES:
        yield from _spans(rule, text, "DATE")
    yield from _ages(text, today)
    yield from _shaped_ids(text)


def _merge(spans) -> list[tuple[int, int, str]]:
    """Overlapping spans become one, named after the longest of them (a URL holding an IP)."""
    merged: list[list] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[1] - last[0]:
                last[2] = kind
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, kind])
    return [tuple(s) for s in merged]


def find_phi(text: str, today: date | None = None) -> list[tuple[int, int, str]]:
    """Every Safe Harbor identifier in ``text`` as ``(start, end, kind)``, in reading order.

    ``today`` fixes the year against which a birth year is judged to reveal an age over 89.
    """
    today = today or date.today()
    people = list(_names(text)) + list(_known_names(text))
    spans = list(_all_spans(text, today)) + people + list(_spans(_EMPLOYER, text, "NAME"))
    return _merge(spans + list(_repeated_names(text, people)))


def redact(text: str, today: date | None = None, keep_zip3: bool = False) -> str:
    """``text`` with each identifier replaced by its bracketed kind, e.g. ``[NAME]``.

    With ``keep_zip3`` a ZIP code becomes ``[ZIP 021]``: the first three digits Safe Harbor
    allows, or ``000`` for a small-population area.
    """
    out, last = [], 0
    for start, end, kind in find_phi(text, today):
        label = f"ZIP {zip3(text[start:end])}" if kind == "ZIP" and keep_zip3 else kind
        out += [text[last:start], f"[{label}]"]
        last = end
    return "".join(out + [text[last:]])


# --------------------------------------------------------------------------- measuring

_MARK = re.compile(r"\{\{([A-Z_]+):(.*?)\}\}", re.S)


def parse_labelled(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    """A note written with ``{{KIND:text}}`` marks, as (plain text, gold spans)."""
    plain, gold, last = [], [], 0
    length = 0
    for m in _MARK.finditer(marked):
        before = marked[last:m.start()]
        plain.append(before)
        length += len(before)
        gold.append((length, length + len(m.group(2)), m.group(1)))
        plain.append(m.group(2))
        length += len(m.group(2))
        last = m.end()
    plain.append(marked[last:])
    return "".join(plain), gold


def _covered(start: int, end: int, text: str, found) -> bool:
    """True when every non-space character of text[start:end] lies inside a found span."""
    inside = set()
    for s, e, _ in found:
        inside.update(range(max(s, start), min(e, end)))
    return all(i in inside for i in range(start, end) if not text[i].isspace())


def score(text: str, gold, found) -> dict:
    """Recall (gold identifiers wholly removed), precision (found spans that are identifiers)
    and text kept (characters outside any identifier that are left in place, spaces aside).

    A partly removed identifier counts as missed, because what is left of it can still leak.
    """
    caught = sum(_covered(s, e, text, found) for s, e, _ in gold)
    right = sum(any(s < ge and gs < e for gs, ge, _ in gold) for s, e, _ in found)
    marked = {i for s, e, _ in gold for i in range(s, e)}
    removed = {i for s, e, _ in found for i in range(s, e)}
    other = [i for i, ch in enumerate(text) if not ch.isspace() and i not in marked]
    kept = sum(i not in removed for i in other)
    return {"gold": len(gold), "caught": caught, "found": len(found), "right": right,
            "text": len(other), "kept": kept}


def read_labelled(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The notes of a labelled file: notes split by lines of ``===``, ``#`` lines are comments."""
    lines = [ln for ln in Path(path).read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    notes = re.split(r"^===$", "\n".join(lines), flags=re.M)
    return [parse_labelled(n.strip("\n")) for n in notes if n.strip()]


def measure(notes, today: date | None = None) -> dict:
    """Recall and precision of ``find_phi`` over labelled notes (from ``read_labelled``)."""
    total = {"notes": len(notes), "gold": 0, "caught": 0, "found": 0, "right": 0, "text": 0,
             "kept": 0}
    for text, gold in notes:
        for key, value in score(text, gold, find_phi(text, today)).items():
            total[key] += value
    total["recall"] = total["caught"] / total["gold"]
    total["precision"] = total["right"] / total["found"]
    total["text_kept"] = total["kept"] / total["text"]
    return total
