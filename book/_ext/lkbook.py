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
"""
import importlib


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


def setup(app):
    app.connect("missing-reference", _missing_reference)
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
