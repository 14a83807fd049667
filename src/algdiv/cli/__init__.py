"""The ``algdiv`` command line (entry point :func:`algdiv.cli.main.main`)."""
