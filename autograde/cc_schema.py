"""Is a cartridge a valid IMS Common Cartridge 1.1? Every XML file against IMS's schemas, and
the manifest's references against the files.

The XSDs are IMS's own CC 1.1 bindings, shipped in ``autograde/schemas/cc1p1`` (source, hashes
and licence in its SOURCE.md) and read with lxml, so no check needs the network. Each XSD also
embeds IMS's Schematron rules for what a grammar cannot say (an essay question is not computer
scored, a web link resource has one file and no href, a weighting is a whole number ...); lxml
runs them too. They are written against an early Schematron draft that lxml's schema for
Schematron rejects, so they are compiled without that check (``validate_schema=False``); the
rules themselves run as written. The schemas
cannot say that a file a resource names exists, so ``problems`` checks that too: every file a
resource names is in the package, every file of the package (but the manifest) is named by a
resource, and every item points at a resource that exists.
"""
from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath

from lxml import etree, isoschematron

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "cc1p1"
BY_NAMESPACE = {
    "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1": "ccv1p1_imscp_v1p2_v1p0.xsd",
    "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1": "ccv1p1_imswl_v1p1.xsd",
    "http://www.imsglobal.org/xsd/ims_qtiasiv1p2": "ccv1p1_qtiasiv1p2p1_v1p0.xsd",
}
MANIFEST = "imsmanifest.xml"
_CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"


@lru_cache(maxsize=None)
def schema(namespace: str) -> etree.XMLSchema:
    """The CC 1.1 schema of a root namespace (its imports resolved beside it)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / BY_NAMESPACE[namespace])))


@lru_cache(maxsize=None)
def rules(namespace: str) -> isoschematron.Schematron:
    """IMS's Schematron rules embedded in the CC 1.1 schema of a root namespace."""
    return isoschematron.Schematron(etree.parse(str(SCHEMAS / BY_NAMESPACE[namespace])),
                                    validate_schema=False, store_report=True)


def _failed_rules(checker: isoschematron.Schematron, document) -> list[str]:
    if checker.validate(document):
        return []
    svrl = "{http://purl.oclc.org/dsdl/svrl}"
    return [" ".join(failed.findtext(f"{svrl}text", "").split())
            for failed in checker.validation_report.iter(f"{svrl}failed-assert")]


def xml_problems(name: str, data: bytes) -> list[str]:
    """Why one XML file of a cartridge is not valid CC 1.1 ([] when it is)."""
    try:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [f"{name}: not well-formed XML: {error}"]
    namespace = etree.QName(document).namespace
    if namespace not in BY_NAMESPACE:
        return [f"{name}: no CC 1.1 schema for the namespace {namespace!r}"]
    checker = schema(namespace)
    if not checker.validate(document):
        return [f"{name}:{error.line}: {error.message}" for error in checker.error_log]
    return [f"{name}: {rule}" for rule in _failed_rules(rules(namespace), document)]


def reference_problems(names: set[str], manifest: bytes) -> list[str]:
    """Files the manifest names but the package lacks, files no resource names, and items
    pointing at no resource."""
    root = etree.fromstring(manifest)
    found, named, idents = [], set(), set()
    for resource in root.iter(f"{_CP}resource"):
        idents.add(resource.get("identifier"))
        hrefs = [resource.get("href")] if resource.get("href") else []
        hrefs += [f.get("href") for f in resource.iter(f"{_CP}file")]
        for href in hrefs:
            path = str(PurePosixPath(href))
            named.add(path)
            if path not in names:
                found.append(f"{MANIFEST}: resource {resource.get('identifier')} names "
                             f"{href}, which is not in the package")
    found += [f"{name}: in the package but named by no resource"
              for name in sorted(names - named - {MANIFEST})]
    found += [f"{MANIFEST}: item {item.get('identifier')} points at no resource "
              f"({item.get('identifierref')})"
              for item in root.iter(f"{_CP}item")
              if item.get("identifierref") and item.get("identifierref") not in idents]
    return found


def problems(cartridge: Path) -> list[str]:
    """Everything that makes ``cartridge`` (an .imscc zip) not a valid CC 1.1 package."""
    with zipfile.ZipFile(cartridge) as bundle:
        names = {name for name in bundle.namelist() if not name.endswith("/")}
        if MANIFEST not in names:
            return [f"{cartridge}: no {MANIFEST} at the top of the package"]
        found = []
        for name in sorted(names):
            if name.endswith((".xml", ".qti")):
                found += xml_problems(name, bundle.read(name))
        return found + reference_problems(names, bundle.read(MANIFEST))
