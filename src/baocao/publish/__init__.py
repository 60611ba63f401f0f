"""Stage 6, publish: the build that writes ``data/processed`` (observations, audit,
dictionary, ``datapackage.json``), all or nothing."""

from __future__ import annotations

from .build import BuildError, BuildResult, SchemaViolation, build

__all__ = ["BuildError", "BuildResult", "SchemaViolation", "build"]
