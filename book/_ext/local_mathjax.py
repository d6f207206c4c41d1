"""MathJax served from the book's own site, so a reader offline still sees formulas typeset.

Sphinx and myst-nb load MathJax 3 from a CDN by default; without the network a reader sees
raw ``\\[ ... \\]``. The pinned ``jupyter-server-mathjax`` wheel (PyPI, Apache-2.0) carries a
complete MathJax 2.7 with its web fonts: it is copied into ``_static/mathjax`` and the pages
load it from there.
"""
import shutil
from pathlib import Path

import jupyter_server_mathjax

SOURCE = Path(jupyter_server_mathjax.__file__).parent / "static"
TARGET = "mathjax"
# The same classes myst-nb asks MathJax 3 to process or ignore, in MathJax 2's words.
MATHJAX2 = {
    "tex2jax": {"processClass": "tex2jax_process|mathjax_process|math|output_area",
                "ignoreClass": "tex2jax_ignore|mathjax_ignore|document"},
    # the wheel carries the STIX web fonts only (as the classic Jupyter notebook used them)
    # MathJax_Blank, its font-loading probe, points at url('about:blank'), which Chromium
    # refuses with a console error; a local() source probes without a request
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web",
                 "imageFont": None,
                 # a long formula breaks into lines on a phone instead of scrolling sideways
                 "linebreaks": {"automatic": True},
                 "styles": {"@font-face": {"font-family": "MathJax_Blank",
                                           "src": "local('MathJax_Blank')"}}},
    "messageStyle": "none",
    "menuSettings": {"zoom": "None"},
}


def use_local_copy(app, config):
    """Point every page at the copy in _static instead of the CDN."""
    config.mathjax_path = f"{TARGET}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
    config.mathjax3_config = None
    config.mathjax2_config = MATHJAX2


def copy_mathjax(app, exception):
    """Copy MathJax into the built site's _static (HTML builds only)."""
    if exception is None and app.builder.format == "html":
        shutil.copytree(SOURCE, Path(app.outdir) / "_static" / TARGET, dirs_exist_ok=True)


def setup(app):
    app.connect("config-inited", use_local_copy, priority=900)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
