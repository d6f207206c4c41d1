"""Links in the prose of every page: a glossary term where a page first uses it, and each
mention of another lesson ("Module 3, lesson 2", "lesson 2", "Module 5").

The lessons are notebooks a student also reads in JupyterLab, where MyST's ``{term}`` and
``{doc}`` roles would show as raw markup; so the links are made here, in the book only, from
the glossary's terms and the table of contents, and the notebooks stay plain Markdown.

* A term links once per page, at its first use in running text (not in headings, code, tables
  of output, or text that is already a link). A term written in capitals (``ABN``, ``NCCI``)
  matches only in capitals; any other matches in any case, plural too.
* "Module N, lesson M" and "Module N lesson M" link to that lesson; "lesson M" on a lesson
  page links to lesson M of the same module; "Module N" alone links to its first lesson.
"""
import re

from docutils import nodes

GLOSSARY = "book/glossary"
# pages of source lists and notices, where a term link would only clutter a title
NO_TERMS = {GLOSSARY, "book/references", "book/licences"}
LESSON_DOC = re.compile(r"^course/release/m(\d+)_[^/]+/(\d+)_")
LESSON_TEXT = re.compile(r"\b[Mm]odule (\d+)(?:,? lesson (\d+))?|\b[Ll]esson (\d+)\b")
# text under these is never linked: headings, code, links, raw HTML, notebook outputs
SKIP = (nodes.title, nodes.reference, nodes.literal, nodes.literal_block, nodes.raw,
        nodes.term, nodes.rubric, nodes.caption, nodes.field_name)


def glossary_terms(env) -> list[tuple[re.Pattern, str]]:
    """(pattern, anchor) for every glossary term, longest first so "patient ledger" wins."""
    std = env.get_domain("std")
    found = [(name, anchor) for (kind, name), (doc, anchor) in std.objects.items()
             if kind == "term" and doc == GLOSSARY]
    patterns = []
    for name, anchor in sorted(found, key=lambda t: -len(t[0])):
        capitals = name != name.lower() and name.upper() == name or re.search(r"[A-Z].*[A-Z]", name)
        flags = 0 if capitals else re.IGNORECASE
        patterns.append((re.compile(rf"(?<![\w/-]){re.escape(name)}(?:s|es)?(?![\w/-])", flags),
                         anchor))
    return patterns


def lessons(env) -> dict[tuple[int, int], str]:
    """(module, lesson) -> docname, from the lesson pages the book holds."""
    found = {}
    for doc in env.found_docs:
        match = LESSON_DOC.match(doc)
        if match:
            found[(int(match[1]), int(match[2]))] = doc
    return found


def lesson_target(match, here, by_number):
    """The docname a lesson mention points to, or None (unknown, or the page itself)."""
    module, lesson, bare = match.groups()
    if bare:
        own = LESSON_DOC.match(here)
        key = (int(own[1]), int(bare)) if own else None
    elif lesson:
        key = (int(module), int(lesson))
    else:
        key = (int(module), 1)
    target = by_number.get(key)
    return None if target == here else target


def linkable(text: nodes.Text) -> bool:
    node = text.parent
    while node is not None:
        if isinstance(node, SKIP) or node.get("nb_element") == "cell_code_output" \
                or "glossary" in node.get("classes", []):
            return False
        node = node.parent
    return True


def matches(text, here, terms, linked, by_number):
    """Non-overlapping (start, end, target docname, anchor) links in one text node."""
    found = []
    for pattern, anchor in terms:
        if anchor in linked:
            continue
        match = pattern.search(text)
        if match:
            found.append((match.start(), match.end(), GLOSSARY, anchor))
    for match in LESSON_TEXT.finditer(text):
        target = lesson_target(match, here, by_number)
        if target:
            found.append((match.start(), match.end(), target, ""))
    chosen, end = [], -1
    for start, stop, doc, anchor in sorted(found, key=lambda f: (f[0], -f[1])):
        if start >= end and not (anchor and anchor in linked):
            chosen.append((start, stop, doc, anchor))
            end = stop
            if anchor:
                linked.add(anchor)
    return chosen


def add_links(app, doctree, docname):
    """Turn glossary terms and lesson mentions in the page's running text into links."""
    if app.builder.format != "html":
        return
    terms = [] if docname in NO_TERMS else glossary_terms(app.env)
    by_number, linked = lessons(app.env), set()
    for text in list(doctree.findall(nodes.Text)):
        if not linkable(text):
            continue
        found = matches(str(text), docname, terms, linked, by_number)
        if not found:
            continue
        parts, at = [], 0
        for start, stop, doc, anchor in found:
            parts.append(nodes.Text(str(text)[at:start]))
            uri = app.builder.get_relative_uri(docname, doc) + (f"#{anchor}" if anchor else "")
            classes = ["glossary-link"] if anchor else ["lesson-link"]
            parts.append(nodes.reference("", str(text)[start:stop], internal=True, refuri=uri,
                                         classes=classes))
            at = stop
        parts.append(nodes.Text(str(text)[at:]))
        text.parent.replace(text, [p for p in parts if not isinstance(p, nodes.Text) or str(p)])


def setup(app):
    app.connect("doctree-resolved", add_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
