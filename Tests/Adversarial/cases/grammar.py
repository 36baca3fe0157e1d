"""The one command-line grammar (Grammar.cruddur): what the option table refuses is refused
before anything runs, with the option named: a single-valued option given twice, a value
that is no number, an empty `--format=`, a misspelt option, an option of another command,
a value-taking option at the end; what it accepts (`-j4`, an option after `--` as a word)
runs."""

import os

from adv.case import Case, yml

CLASS = "grammar"

PROJECT = {
    "cruddur.yml": yml(
        """tasks:
  a: { query: create table a(x int) }
  t: { params: [x], shell: 'printf "%s\\n" "$x" > out.txt' }
"""
    ),
}


def case(name, argv, **kw):
    return Case(name=name, files=dict(PROJECT), argv=argv, **kw)


def out_txt(expected):
    def check(ctx):
        path = os.path.join(ctx.dir, "out.txt")
        assert os.path.exists(path), "out.txt was not written"
        with open(path, encoding="utf-8") as f:
            got = f.read()
        assert got == expected, f"out.txt is {got!r}, expected {expected!r}"

    return check


CASES = [
    case("env-given-twice", ["a", "-e", "local", "-e", "other"], exit=2,
         stderr_has=["`-e` is given twice (`local`, then `other`)"], db_unchanged=True, tables={"a": False}),
    case("format-given-twice", ["a", "--format", "text", "--format=csv"], exit=2,
         stderr_has=["`--format` is given twice"], db_unchanged=True, tables={"a": False}),
    case("j-attached-not-a-number", ["a", "-jx"], exit=2,
         stderr_has=["the value `x` is invalid for `-j <N>`"], db_unchanged=True, tables={"a": False}),
    case("j-attached-zero", ["a", "-j0"], exit=2, stderr_has=["-j must be at least 1"], db_unchanged=True,
         tables={"a": False}),
    case("j-attached-runs", ["a", "-j4"], exit=0, tables={"a": True}),
    case("format-equals-empty", ["a", "--format="], exit=2,
         stderr_has=["missing value for `--format <format>`"], db_unchanged=True, tables={"a": False}),
    case("misspelt-option", ["a", "--formt", "json"], exit=2,
         stderr_has=["unknown option `--formt`", "did you mean `--format`?"], db_unchanged=True, tables={"a": False}),
    case("option-of-another-command", ["a", "--out", "plan.json"], exit=2,
         stderr_has=["unknown option `--out`", "`--out` is an option of `plan`"], db_unchanged=True,
         tables={"a": False}),
    case("value-option-at-the-end", ["a", "--set"], exit=2,
         stderr_has=["missing value for `--set <name=value>`"], db_unchanged=True, tables={"a": False}),
    case("option-after-double-dash-is-a-word", ["t", "--", "--format"], exit=0, check=out_txt("--format\n")),
]
