"""baocao: citable time series from Vietnamese provincial socio-economic reports.

Public API::

    import baocao
    obs = baocao.extract("data/raw/langson-ubnd-2017-08.md")   # one report -> observations
    data = baocao.load()                                          # the built dataset
    s = baocao.series("trade.total", measure="level", period_type="ytd")
"""

from __future__ import annotations

from . import extract  # the extract stage; calling it extracts a report (see its __call__)
from .ingest import Document, InputError, read_document

__all__ = ["Document", "InputError", "extract", "read_document", "load", "series"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # load/series live in later stages; import them lazily to keep `import baocao` light.
    if name in ("load", "series"):
        # import_module, not `from . import series`: the latter asks this __getattr__ for
        # "series" again (endless recursion). The functions then replace the submodule
        # attribute so that `baocao.series(...)` stays callable.
        import importlib

        module = importlib.import_module(f"{__name__}.series")
        globals().update(load=module.load, series=module.series)
        return globals()[name]
    raise AttributeError(name)
