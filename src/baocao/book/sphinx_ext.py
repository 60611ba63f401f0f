"""A small Sphinx extension for the book (``_config.yml`` lists it in ``extra_extensions``).

- Every page of Jupyter Book 1 declares ``const THEBE_JS_URL`` twice (Sphinx adds an
  inline script registered after the builder started a second time, under the file name
  "" instead of None), which is a JavaScript error on every page: identical scripts are
  dropped here, so each is declared once.
- The notebook execution table marks status with emoji, which a browser without an
  emoji font shows as an empty box: they become the words "ran" and "failed".
- Each chapter that is a notebook offers its executed ``.ipynb`` (in the theme's
  download menu and in a note at the top of the chapter) and says how to run it.
- The book's stylesheet (``static/baocao.css``): tables that fit their column, chart
  captions and download links.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

STATIC = Path(__file__).resolve().parent / "static"
STATUS_WORDS = {"✅": "ran", "❌": "failed"}
RUN_PAGE = "book/run_notebooks"


def _asset_key(asset) -> tuple:
    """What a ``<script>`` renders from: its file and attributes (an inline script has no
    file, registered once as None and once as "": both are "no file")."""
    attributes = getattr(asset, "attributes", {}) or {}
    filename = getattr(asset, "filename", asset) or ""
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict,
                           doctree) -> None:
    """Keep the first of identical ``<script>`` entries of a page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for asset in scripts:
        key = _asset_key(asset)
        if key not in seen:
            seen.add(key)
            unique.append(asset)
    context["script_files"] = unique


class StatusWords(SphinxPostTransform):
    """Replace the execution table's emoji with words (after myst-nb fills it in)."""

    default_priority = 199

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(nodes.Text)):
            if str(node) in STATUS_WORDS:
                node.parent.replace(node, nodes.Text(STATUS_WORDS[str(node)]))


def executed_notebook(app: Sphinx, pagename: str) -> Path | None:
    """The executed notebook of a page, when the page is a notebook myst-nb ran."""
    config = getattr(app.env, "mystnb_config", None)
    folder = Path(getattr(config, "output_folder", "") or Path(app.outdir).parent /
                  "jupyter_execute")
    path = folder / f"{pagename}.ipynb"
    return path if path.is_file() else None


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree) -> None:
    """Copy a notebook page's executed ``.ipynb`` beside its source for download, and
    name it for the theme's download menu (which then lists ".ipynb")."""
    if not pagename.startswith("notebooks/"):
        return
    notebook = executed_notebook(app, pagename)
    if notebook is None:
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _run_note(docname: str) -> nodes.raw:
    up = "../" * docname.count("/")
    name = docname.rsplit("/", 1)[-1]
    text = (
        '<div class="admonition tip bc-run"><p class="admonition-title">Run this chapter</p>'
        f"<p>This chapter is a notebook. Download it with its outputs "
        f'(<a class="bc-ipynb" href="{up}_sources/{docname}.ipynb" download>{name}.ipynb</a>) '
        f"or open <code>{docname}.md</code> in a clone of the repository, and run it in "
        f'JupyterLab: <a href="{up}{RUN_PAGE}.html">how to run the notebooks</a>.</p></div>'
    )
    return nodes.raw("", text, format="html")


def add_run_note(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the "Run this chapter" note under the title of every notebook chapter."""
    if not docname.startswith("notebooks/") or app.builder.format != "html":
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = next(iter(section.findall(nodes.title)), None)
    index = section.index(title) + 1 if title is not None else 0
    section.insert(index, _run_note(docname))


def add_static(app: Sphinx) -> None:
    """Serve ``static/`` (the stylesheet) with the book."""
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", add_static)
    app.add_css_file("baocao.css")
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", offer_notebook, priority=400)
    app.connect("doctree-resolved", add_run_note)
    app.add_post_transform(StatusWords)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
