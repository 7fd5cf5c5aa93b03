"""Local Sphinx extension of the book.

1. Resolve ``lkcourse.<name>`` cross-references to where the object is documented.

The package re-exports every public name at the top level (``lk.soft_threshold``), so the
docstrings refer to ``lkcourse.soft_threshold``; the API page documents it in its real
module (``lkcourse.prox.soft_threshold``). On a missing Python reference this extension
looks the name up in the package and retries with the real module path. Short names
inside a module docstring (``:func:`train```) are tried against the top-level package too.

2. Drop duplicate inline scripts from each page. With this Sphinx, sphinx-thebe and
sphinx-togglebutton each register their inline configuration script twice, so every
page declared ``const THEBE_JS_URL`` twice and logged a console error.

3. The PDF (``make pdf``, issue 16). Every HTML page links to ``lkcourse.pdf`` at the root
of the HTML output (in the download menu and in the footer) only where the PDF exists
(issue 23): the html build copies ``_build/latex/lkcourse.pdf`` there when it exists and
links it; otherwise the footer says how to build it. ``make pdf`` copies the PDF after
building and runs ``python book/_ext/lkbook.py --link-pdf _build/html``, which turns
that sentence into the link and adds the menu entry on every page. In the LaTeX build, every explorer (an output whose text/plain is
``<Explorer ...>``) prints as its starting frame with a caption pointing to the live
version, and the role ``{html-book}`text``` links to the HTML book: ``html_baseurl``
(``html.baseurl`` in ``_config.yml``) when set, else the HTML book built next to the PDF.
"""
import importlib
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

PDF_NAME = "lkcourse.pdf"


def _real_target(target):
    lk = importlib.import_module("lkcourse")
    parts = target.split(".")
    if parts[0] == "lkcourse":
        parts = parts[1:]
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    obj = getattr(lk, head, None)
    if obj is None:
        for modname in ("datasets", "explorers", "explore"):
            mod = getattr(lk, modname, None)
            if mod is not None and hasattr(mod, head):
                return ".".join([mod.__name__, head] + rest)
        return None
    module = getattr(obj, "__module__", None)
    if module is None or isinstance(obj, (dict, tuple, list)) or type(obj).__name__ == "mappingproxy":
        # data (a registry, a constant): the module whose namespace defines it first
        for name in sorted(vars(lk)):
            mod = getattr(lk, name)
            if (type(mod).__name__ == "module" and mod.__name__.startswith("lkcourse.")
                    and vars(mod).get(head) is obj and head in getattr(mod, "__all__", [])):
                module = mod.__name__
                break
    if not module or not module.startswith("lkcourse"):
        return None
    return ".".join([module, head] + rest)


def _missing_reference(app, env, node, contnode):
    if node.get("refdomain") != "py":
        return None
    new = _real_target(node["reftarget"])
    if new is None or new == node["reftarget"]:
        return None
    domain = env.get_domain("py")
    node = node.deepcopy()
    node["reftarget"] = new
    return domain.resolve_xref(env, node.get("refdoc", ""), app.builder, node["reftype"],
                               new, node, contnode)


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for js in scripts:
        # the same inline script is registered once with filename None and once with ""
        key = (str(getattr(js, "filename", None) or ""),
               tuple(sorted(getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    scripts[:] = kept


def _html_book_url(config, docname="book/intro"):
    base = (config.html_baseurl or "").rstrip("/")
    # relative to _build/latex/lkcourse.pdf and to its copy _build/html/lkcourse.pdf
    return f"{base}/{docname}.html" if base else f"../html/{docname}.html"


def _html_book_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{html-book}`the HTML book`: a link to the HTML book (see _html_book_url)."""
    config = inliner.document.settings.env.config
    url = _html_book_url(config)
    node = nodes.reference(rawtext, text, refuri=url, internal=False)
    return [node], []


PDF_MISSING = ('<p class="lk-pdf-link" data-lk-pdf="missing">A PDF of the whole book is '
               'built by <code>make pdf</code> (not part of this build).</p>')


def _pdf_link_html(url):
    return (f'<p class="lk-pdf-link"><a href="{url}">The whole book as a PDF</a> '
            f"(built by <code>make pdf</code>).</p>")


def _pdf_menu_html(url):
    """The download-menu entry, as the theme renders a link button (for --link-pdf)."""
    return (f'<li><a href="{url}" target="_blank" class="btn btn-sm '
            f'btn-download-book-pdf-button dropdown-item" title="The whole book as a PDF" '
            f'data-bs-placement="left" data-bs-toggle="tooltip"><span '
            f'class="btn__icon-container"><i class="fas fa-book"></i></span><span '
            f'class="btn__text-container">book .pdf</span></a></li>')


def _pdf_available(app):
    out = Path(app.outdir)
    return (out.parent / "latex" / PDF_NAME).is_file() or (out / PDF_NAME).is_file()


def _pdf_link(app, pagename, templatename, context, doctree):
    """A download of the whole book's PDF on every page (menu entry and footer line),
    where the PDF exists; else a footer line saying how to build it."""
    pathto = context.get("pathto")
    if pathto is None:
        return
    footer = context.get("theme_extra_footer") or ""
    if not _pdf_available(app):
        context["theme_extra_footer"] = PDF_MISSING + footer
        return
    url = pathto(PDF_NAME, 1)
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({
                "type": "link", "url": url, "text": "book .pdf",
                "tooltip": "The whole book as a PDF",
                "icon": "fas fa-book", "label": "download-book-pdf-button"})
    context["theme_extra_footer"] = _pdf_link_html(url) + footer


def link_pdf(html_dir):
    """After ``make pdf``: link the PDF from every page built without it. Returns the
    number of pages changed."""
    html_dir = Path(html_dir)
    if not (html_dir / PDF_NAME).is_file():
        raise SystemExit(f"{html_dir / PDF_NAME} does not exist: nothing to link")
    changed = 0
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if PDF_MISSING not in text:
            continue
        depth = len(page.relative_to(html_dir).parts) - 1
        url = "../" * depth + PDF_NAME
        text = text.replace(PDF_MISSING, _pdf_link_html(url))
        menu = text.find('class="dropdown dropdown-download-buttons"')
        end = text.find("</ul>", menu) if menu >= 0 else -1
        if end >= 0:
            text = text[:end] + _pdf_menu_html(url) + "\n" + text[end:]
        page.write_text(text, encoding="utf-8")
        changed += 1
    return changed


def _copy_pdf(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    pdf = Path(app.outdir).parent / "latex" / PDF_NAME
    if pdf.is_file():
        shutil.copy2(pdf, Path(app.outdir) / PDF_NAME)


class ExplorerCaption(SphinxPostTransform):
    """LaTeX: under an explorer's starting frame, say where the live version is."""
    default_priority = 3          # before myst-nb's SelectMimeType (4) drops the text/plain
    builders = ("latex",)

    def run(self, **kwargs):
        for bundle in list(self.document.findall(
                lambda n: isinstance(n, nodes.container)
                and n.get("nb_element") == "mime_bundle")):
            kinds = {c.get("mime_type"): c for c in bundle.children}
            plain = kinds.get("text/plain")
            if "image/png" not in kinds or plain is None:
                continue
            if not plain.astext().lstrip().startswith("<Explorer"):
                continue
            url = _html_book_url(self.config, self.env.docname)
            para = nodes.paragraph(classes=["lk-explorer-caption"])
            para += nodes.emphasis(text="Interactive explorer, printed at its starting values. "
                                        "The live version, with its controls, is in ")
            ref = nodes.reference(refuri=url, internal=False)
            ref += nodes.emphasis(text="the HTML book")
            para += ref
            para += nodes.emphasis(text=" and in JupyterLab (make lab).")
            parent = bundle.parent
            parent.insert(parent.index(bundle) + 1, para)


class PlainProofs(SphinxPostTransform):
    """LaTeX: sphinx-proof prints a proof as an admonition with an empty title bar; print
    it as the book's text instead (it already starts with "Proof.")."""
    default_priority = 5
    builders = ("latex",)

    def run(self, **kwargs):
        for adm in list(self.document.findall(nodes.admonition)):
            if "proof" in adm.get("classes", []) and not any(
                    isinstance(c, nodes.title) for c in adm.children):
                first = adm.children[0] if adm.children else None
                if isinstance(first, nodes.paragraph) and first.children and isinstance(
                        first.children[0], nodes.Text) and first.children[0].startswith("Proof. "):
                    rest = nodes.Text(first.children[0][len("Proof. "):])
                    first.replace(first.children[0], rest)
                    first.insert(0, nodes.Text(" "))
                    first.insert(0, nodes.emphasis(text="Proof."))
                adm.replace_self(adm.children[:])


def _remember_secnum_depth(app, config):
    app.lk_secnum_depth = config.numfig_secnum_depth


def _same_numbers_as_html(app):
    """sphinx-jupyterbook-latex sets numfig_secnum_depth = 2 for a book with parts, so
    the HTML book's Theorem 6.1 printed as Theorem 6.1.1 (issue 23). Keep the configured
    depth: sphinx-proof's numbers and references then read the same in both editions,
    as figures and equations already do (LaTeX numbers those per chapter)."""
    if app.builder.format == "latex":
        app.config.numfig_secnum_depth = app.lk_secnum_depth


class UnnumberedBackMatter(SphinxPostTransform):
    """LaTeX: the back matter (the last part of the table of contents, not numbered in
    the HTML book) prints as unnumbered chapters, not as chapters 8, 9, ... (issue 23)."""
    default_priority = 800
    builders = ("latex",)

    def run(self, **kwargs):
        first = _first_back_matter_doc(self.app)
        if not first:
            return
        from sphinx import addnodes
        for node in self.document.findall(addnodes.start_of_file):
            if node.get("docname") == first:
                raw = nodes.raw("", "\\setcounter{secnumdepth}{-2}\n", format="latex")
                node.parent.insert(node.parent.index(node), raw)
                break


class OneBibliography(SphinxPostTransform):
    """LaTeX: Sphinx prints every citation in one bibliography at the end of the book; the
    page that holds the {bibliography} directive would be a chapter with one sentence
    before it (issue 23). Drop that page's text; the bibliography itself is titled
    "References" (\\bibname, set in the LaTeX preamble of _config.yml)."""
    default_priority = 800           # after Sphinx moved the citations to the end (750)
    builders = ("latex",)

    def run(self, **kwargs):
        from sphinx import addnodes
        holders = set()
        for doc in self.env.found_docs:
            try:
                if "{bibliography}" in Path(self.env.doc2path(doc)).read_text(encoding="utf-8"):
                    holders.add(doc)
            except OSError:
                continue
        for node in list(self.document.findall(addnodes.start_of_file)):
            if node.get("docname") in holders:
                node.children = []


class HtmlBreaksInLatex(SphinxPostTransform):
    """LaTeX: a ``<br>`` written in a Markdown table (the activation formula table puts
    f and f' in one cell, one per line) is raw HTML, which LaTeX drops, so the PDF ran
    "f(z) = z f'(z) = 1" together (issue 23). Print it as a line break."""
    default_priority = 5
    builders = ("latex",)
    BR = re.compile(r"^\s*<br\s*/?>\s*$", re.I)

    def run(self, **kwargs):
        for node in list(self.document.findall(nodes.raw)):
            if "html" in node.get("format", "").split() and self.BR.match(node.astext()):
                node.replace_self(nodes.raw("", "\\newline{}", format="latex"))


def _first_back_matter_doc(app):
    """The first document of the last part of _toc.yml when that part is unnumbered."""
    import yaml
    toc = Path(app.confdir) / "_toc.yml"
    if not toc.is_file():
        return None
    parts = (yaml.safe_load(toc.read_text()) or {}).get("parts") or []
    if len(parts) < 2 or parts[-1].get("numbered") or not parts[-1].get("chapters"):
        return None
    return parts[-1]["chapters"][0]["file"]


def setup(app):
    app.connect("config-inited", _remember_secnum_depth)
    app.connect("builder-inited", _same_numbers_as_html, priority=900)
    app.add_post_transform(UnnumberedBackMatter)
    app.add_post_transform(OneBibliography)
    app.add_post_transform(HtmlBreaksInLatex)
    app.connect("missing-reference", _missing_reference)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.connect("html-page-context", _pdf_link, priority=502)   # after the theme's 501
    app.connect("build-finished", _copy_pdf)
    app.add_role("html-book", _html_book_role)
    app.add_post_transform(ExplorerCaption)
    app.add_post_transform(PlainProofs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":   # python book/_ext/lkbook.py --link-pdf _build/html
    import sys
    if len(sys.argv) != 3 or sys.argv[1] != "--link-pdf":
        raise SystemExit("usage: python book/_ext/lkbook.py --link-pdf HTML_DIR")
    print(f"lkbook: linked {PDF_NAME} from {link_pdf(sys.argv[2])} pages")
