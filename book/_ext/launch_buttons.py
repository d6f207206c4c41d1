"""Launch buttons and the repository link, switched on by one setting: ``repository.url``.

sphinx-book-theme 1.3.0 stops the build when launch buttons are configured without a
repository (it unpacks a missing address), and Jupyter Book 1.x does the same for a
repository button. The course ships with the address empty so that any clone builds; this
extension keeps the Binder, JupyterHub (nbgitpuller) and Colab settings of ``_config.yml`` and
the repository button only when a publisher has filled the address in.
"""


def follow_repository_url(app, config):
    """No repository address: no launch buttons and no repository link."""
    options = config.html_theme_options
    if options.get("repository_url"):
        options["use_repository_button"] = True
    else:
        options["launch_buttons"] = {}
        options["use_repository_button"] = False


def setup(app):
    app.connect("config-inited", follow_repository_url, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
