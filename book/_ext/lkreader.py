"""The book for every reader (issue 23): the HTML book's reader-facing infrastructure.

1. ``static/lk-reader.js`` and ``static/lk-reader.css`` on every page: sidebar toggles
   that work on a phone and a desktop, figures that enlarge on click, scroll cues on
   wide equations and tables, readable captions and links, accessible toggle names.
2. Static fixes of the generated markup (no JavaScript needed): myst-nb's hide-input
   toggles lose an ``aria-label`` that hid their visible text ("Show code cell
   source") from speech users; the bibliography's entries get the ARIA role of a list
   item (docutils writes the deprecated ``doc-biblioentry`` inside a ``role="list"``).
3. "Run this book": every page links the bundle that ``make book`` builds next to the
   HTML (``BUNDLE_NAME``, by ``tools/make_bundle.py``): the notebooks, the pinned
   requirements and a wheel of ``lkcourse``. The download menu and the footer carry it.
"""
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
BUNDLE_NAME = "lkcourse-book.zip"


def _static_path(app, config):
    path = str(STATIC)
    if path not in config.html_static_path:
        config.html_static_path.append(path)


_SUMMARY_LABEL = re.compile(r'<summary aria-label="Toggle hidden content">')
_BIBLIO_ROLE = re.compile(r'role="doc-biblioentry"')


def _fix_markup(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body:
        return
    body = _SUMMARY_LABEL.sub("<summary>", body)
    body = _BIBLIO_ROLE.sub('role="listitem"', body)
    context["body"] = body


def _bundle_link(app, pagename, templatename, context, doctree):
    """The "Run this book" download on every page: menu entry and footer line."""
    pathto = context.get("pathto")
    if pathto is None:
        return
    url = pathto(BUNDLE_NAME, 1)
    running = pathto("book/running")
    running = "" if running == "#" else running          # on the running page itself
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link", "url": url, "text": "run this book (.zip)",
                "tooltip": "The notebooks, the lkcourse package and the pinned requirements",
                "icon": "fas fa-file-zipper", "label": "download-run-bundle-button"})
    footer = context.get("theme_extra_footer") or ""
    context["theme_extra_footer"] = (
        f'<p class="lk-run-link">Run this book on your computer: '
        f'<a href="{url}">download the notebooks and the <code>lkcourse</code> package</a> '
        f'(<a href="{running}#run-this-book">how</a>).</p>' + footer)


def setup(app):
    app.connect("config-inited", _static_path)
    app.add_css_file("lk-reader.css")
    app.add_js_file("lk-reader.js", loading_method="defer")
    app.connect("html-page-context", _fix_markup, priority=900)
    app.connect("html-page-context", _bundle_link, priority=503)   # after the theme's 501
    return {"parallel_read_safe": True, "parallel_write_safe": True}
