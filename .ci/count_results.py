"""Reads one suite's output and prints "<passed> <failed> <skipped>" from its summary.

pytest ends with a line like "891 passed, 10 skipped in 29.65s" (failed and
error counts in the same line); schemathesis with "Test cases:" followed by
"3765 generated, 3765 passed" (and "N failed" / "found N unique failures").
Prints "0 0 0" when there is no summary; .ci/run then counts the suite itself.
"""
import re
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def count(text):
    lines = [ANSI.sub("", line).strip(" =") for line in text.splitlines()]
    for line in reversed(lines):
        if re.search(r"\d+ (passed|failed|errors?)\b.* in [\d.]+s", line) or re.fullmatch(
            r"(no tests ran|\d+ (deselected|skipped)).* in [\d.]+s", line
        ):
            return _number(line, "passed"), _number(line, "failed") + _number(line, "errors?"), _number(line, "skipped")
    for line in reversed(lines):
        if re.search(r"^\d+ generated\b", line):
            failed = _number(line, "failed") + _number(line, "errored") + _number(line, r"unique failures?")
            return _number(line, "passed"), failed, _number(line, "skipped")
    return 0, 0, 0


def _number(line, word):
    match = re.search(r"(\d+) (?:found )?" + word + r"\b", line)
    if match is None and "unique" in word:
        match = re.search(r"found (\d+) unique failures?", line)
    return int(match.group(1)) if match else 0


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        passed, failed, skipped = count(f.read())
    print(passed, failed, skipped)
