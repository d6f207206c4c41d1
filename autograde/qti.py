"""QTI 1.2.1 assessments in the Common Cartridge 1.1 profile: a written task as an essay.

CC 1.1 has no assignment resource, but every LMS that imports CC 1.1 reads its QTI
assessments (Canvas, Moodle and Brightspace as quizzes, Blackboard as tests), and an essay
question is the one QTI item that carries no answer key: the LMS shows the prompt, takes the
student's text and leaves the score to the instructor. So a written task becomes a one-question
essay assessment worth the task's points, a gradable LMS item without any key in the package.

The profile's rules for an essay (schematron rule set 8 and rule 2c of
``ccv1p1_qtiasiv1p2p1_v1p0.xsd``): ``cc_profile`` ``cc.essay.v0p1``, ``qmd_computerscored``
``No``, a ``response_str`` with ``render_fib`` and no ``varequal``; ``cc_weighting`` an
integer from 1 to 99; the assessment's ``cc_profile`` ``cc.exam.v0p1``.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOCATION = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"
RESOURCE_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _metadata(parent, tag: str, fields: dict[str, str]) -> None:
    metadata = ET.SubElement(parent, _q(tag))
    for label, entry in fields.items():
        field = ET.SubElement(metadata, _q("qtimetadatafield"))
        ET.SubElement(field, _q("fieldlabel")).text = label
        ET.SubElement(field, _q("fieldentry")).text = entry


def essay_assessment(ident: str, title: str, prompt_html: str, points: float) -> str:
    """A CC 1.1 QTI assessment of one essay question: ``prompt_html`` shown to the student,
    worth ``points`` (given to the LMS when it is a whole number from 1 to 99)."""
    ET.register_namespace("", QTI)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(_q("questestinterop"), {f"{{{XSI}}}schemaLocation": f"{QTI} {LOCATION}"})
    assessment = ET.SubElement(root, _q("assessment"), {"ident": ident, "title": title})
    _metadata(assessment, "qtimetadata", {"cc_profile": "cc.exam.v0p1",
                                          "qmd_assessmenttype": "Examination",
                                          "cc_maxattempts": "1"})
    section = ET.SubElement(assessment, _q("section"), {"ident": f"{ident}_section"})
    item = ET.SubElement(section, _q("item"), {"ident": f"{ident}_item", "title": title})
    fields = {"cc_profile": "cc.essay.v0p1", "qmd_computerscored": "No"}
    if float(points).is_integer() and 1 <= points <= 99:
        fields["cc_weighting"] = str(int(points))
    _metadata(ET.SubElement(item, _q("itemmetadata")), "qtimetadata", fields)
    presentation = ET.SubElement(item, _q("presentation"))
    material = ET.SubElement(presentation, _q("material"))
    ET.SubElement(material, _q("mattext"), {"texttype": "text/html"}).text = prompt_html
    response = ET.SubElement(presentation, _q("response_str"),
                             {"ident": f"{ident}_response", "rcardinality": "Single"})
    ET.SubElement(ET.SubElement(response, _q("render_fib")), _q("response_label"),
                  {"ident": f"{ident}_answer", "rshuffle": "No"})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
