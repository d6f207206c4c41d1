"""Repairs to the pinned theme pair (sphinx-book-theme 1.3.0 on pydata-sphinx-theme 0.17.1).

* Both themes' scripts bind their sidebar handlers to the *first* ``.primary-toggle`` (and
  ``.secondary-toggle``) in the page, pydata's header button, which the book theme hides; the
  visible buttons do nothing. ``_static/navigation.js`` (Jupyter Book adds every script in
  ``_static`` to each page) hands a click on a visible toggle to
  that first one, so the table of contents opens on a phone and folds away on a desktop.
* sphinx-thebe registers its inline settings script once per read phase, so pages carried
  ``const THEBE_JS_URL`` twice and every page logged "already declared": a page keeps one copy
  of each inline script.
* The download menu's ".pdf" item only opens the browser's print dialog: it is named for what it
  does ("print"); the whole book as a real PDF comes from ``make pdf`` (book/pdf.py).
"""


def one_copy_of_each_script(app, pagename, templatename, context, doctree):
    """Drop repeated inline scripts from a page (the same body registered twice)."""
    seen, kept = set(), []
    for script in context.get("script_files", []):
        body = getattr(script, "attributes", {}).get("body")
        if body and body in seen:
            continue
        if body:
            seen.add(body)
        kept.append(script)
    context["script_files"] = kept


def honest_print_button(app, pagename, templatename, context, doctree):
    """Rename the download menu's ".pdf" item, which prints the page, to "print"."""
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("label") == "download-pdf-button":
                button["text"] = "print"
                button["tooltip"] = "Print this page"


def setup(app):
    app.connect("html-page-context", honest_print_button, priority=600)
    app.connect("html-page-context", one_copy_of_each_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
