project = "Flask-TokenGuard"
author = "Flask-TokenGuard contributors"
release = "1.2.0"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
html_theme = "furo"
intersphinx_mapping = {"flask": ("https://flask.palletsprojects.com/en/latest/", None)}
