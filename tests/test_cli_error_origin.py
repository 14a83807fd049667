"""The CLI turns algdiv's own input errors into one line, and keeps tracebacks for bugs."""

import argparse

import numpy as np
import pytest

from algdiv.cli import main as cli_main
from algdiv.groups import parse


def _caught(fn):
    try:
        fn()
    except (ValueError, TypeError) as exc:
        return exc
    raise AssertionError("no error raised")


def test_errors_raised_by_algdiv_are_input_errors():
    assert cli_main._raised_by_algdiv(_caught(lambda: parse("no_such_group(3)")))


def test_errors_raised_inside_numpy_are_not():
    assert not cli_main._raised_by_algdiv(_caught(lambda: np.arange(3).reshape(2, 2)))


def _parser_with(handler):
    parser = argparse.ArgumentParser()
    parser.set_defaults(handler=handler, max_memory=None)
    return parser


def test_main_keeps_the_traceback_of_a_dependency_error(monkeypatch):
    monkeypatch.setattr(cli_main, "build_parser", lambda: _parser_with(lambda a: np.ones(3).reshape(2, 2)))
    with pytest.raises(ValueError, match="reshape"):
        cli_main.main([])


def test_main_prints_one_line_for_an_algdiv_error(monkeypatch, capsys):
    monkeypatch.setattr(cli_main, "build_parser", lambda: _parser_with(lambda a: parse("cyclic(")))
    assert cli_main.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("algdiv: error:") and err.count("\n") == 1
