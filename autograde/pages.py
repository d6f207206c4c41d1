"""Course pages as plain, self-contained HTML that an LMS page editor keeps.

LMS importers (Canvas, Moodle, Blackboard, Brightspace) keep a page's body and drop scripts
and the book's theme, so a page here is simple HTML: headings, paragraphs, tables, lists and
code, with no script, no style sheet and no link outside the cartridge except those written
in the text. Notebook pages show a student notebook's markdown and code cells (cells the
book hides, tagged ``remove-cell``, are left out here too); book pages are their MyST
markdown with the few MyST forms the book uses turned into plain markdown first.
"""
from __future__ import annotations

import base64
import html
import re
from functools import lru_cache

_DOC_ROLE = re.compile(r"\{doc\}`([^`<]+?)(?:\s*<([^>]+)>)?`")
_DIRECTIVE = re.compile(r"^```\{(\w+)\}[ \t]*(.*?)\n(.*?)^```[ \t]*$", re.S | re.M)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def markdown(text: str) -> str:
    """Markdown (CommonMark with tables) as HTML; raw HTML in the text is escaped."""
    return _markdown().render(text)


def myst_to_markdown(text: str, page_link) -> str:
    """The book's MyST as plain markdown: {doc}`page` becomes a link to the page, where
    ``page_link(page)`` gives (href, title) and an empty href leaves the title as plain text;
    a fenced directive (admonition, note) becomes a block quote headed by its title."""
    def doc(match):
        href, title = page_link((match.group(2) or match.group(1)).strip())
        label = match.group(1).strip() if match.group(2) else title
        return f"[{label}]({href})" if href else label

    def directive(match):
        heading = match.group(2).strip() or match.group(1).capitalize()
        body = match.group(3).strip().splitlines()
        return "\n".join([f"> **{heading}**", ">"] + [f"> {line}" for line in body])

    return _DIRECTIVE.sub(directive, _DOC_ROLE.sub(doc, text))


def notebook_body(nb, header: str = "", save_image=None) -> str:
    """The cells of a student notebook as HTML, in order (markdown rendered, code as code, and
    the outputs the notebook carries, as the book shows them), with ``header`` placed after the
    first markdown cell (the notebook's title and opening). ``save_image(png_bytes)`` stores a
    plot and returns its address; without it plots are left out."""
    parts = []
    for cell in nb.cells:
        if "remove-cell" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(markdown(cell.source))
            if header:
                parts.append(header)
                header = ""
        elif cell.cell_type == "code" and cell.source.strip():
            parts.append(f"<pre><code>{html.escape(cell.source)}</code></pre>")
            parts += [shown for output in cell.get("outputs", [])
                      if (shown := _output(output, save_image))]
    return "\n".join(parts)


def _output(output, save_image) -> str:
    """One code cell output as HTML: printed text, a check's plain message (an error's value,
    never its traceback), a table, a plot; "" for what a page cannot show."""
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="output">{html.escape(output.get("text", ""))}</pre>' \
            if output.get("name") == "stdout" else ""
    if kind == "error":
        return f'<pre class="output">{html.escape(output.get("evalue", ""))}</pre>'
    data = output.get("data", {})
    if "image/png" in data and save_image:
        return f'<p><img src="{save_image(base64.b64decode(data["image/png"]))}" alt="plot"></p>'
    if "text/html" in data and "<script" not in data["text/html"].lower():
        return f'<div class="output">{data["text/html"]}</div>'
    if "text/markdown" in data:
        return markdown(data["text/markdown"])
    if "text/plain" in data:
        return f'<pre class="output">{html.escape(data["text/plain"])}</pre>'
    return ""


def bullet_list(items) -> str:
    """An HTML list of markdown items."""
    return "<ul>\n" + "\n".join(f"<li>{_markdown().renderInline(item)}</li>" for item in items) \
        + "\n</ul>"


def document(title: str, body: str) -> str:
    """A whole HTML page around ``body``."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
