"""Subcommands of the ``baocao`` CLI, one module each (see :mod:`baocao.cli`)."""
