"""Does every permission rule fail a test when it is lost? Replaces one auth function at a time.

For each auth function in the action registry, runs the permission table
(tests/actionapi/test_permissions.py, the rows of that action) with the
function replaced by one that always allows (and, with --deny, one that always
refuses), and reports the replacements no test noticed. Exit status 1 if any
survived. `make mutate` runs it before mutmut's finer mutations.

    .venv/bin/python scripts/mutate_auth.py [--deny] [ACTION ...]

Also a pytest plugin (`-p scripts.mutate_auth`): with CKAN_MUTATE_AUTH set to
`<action>:allow` or `<action>:deny` it makes that replacement once Django has
registered the auth functions.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = "tests/actionapi/test_permissions.py"


def pytest_sessionstart(session):
    spec = os.environ.get("CKAN_MUTATE_AUTH")
    if not spec:
        return
    from catalog.logic import registry

    name, mode = spec.rsplit(":", 1)
    original = registry.get_auth_function(name)  # KeyError for a name that is not an auth function
    decision = {"allow": True, "deny": False}[mode]

    def mutant(context, data_dict):
        return {"success": decision, "msg": "" if decision else f"{name} refuses everyone (mutant)"}

    mutant.original = original
    registry._auth_functions[name] = mutant


def auth_function_names():
    """(every auth function the registry holds, the public ones), read in a child process with Django set up.

    A public read (its rows allow everyone under every role setting) already
    always allows: replacing it by "always allow" changes nothing, so only
    "always deny" can be told from it.
    """
    code = (
        "import django; django.setup(); from catalog.logic import registry; "
        "from tests.actionapi.test_permissions import PUBLIC_READS; "
        "print(' '.join(sorted(registry._auth_functions))); print(' '.join(row.action for row in PUBLIC_READS))"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ckansite.settings", DEBUG="1")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    names, public = out.stdout.splitlines()[-2:]
    return names.split(), set(public.split())


def killed(name, mode):
    """True if some row of `name`'s table fails with its auth function replaced."""
    env = dict(os.environ, CKAN_MUTATE_AUTH=f"{name}:{mode}")
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider",
               "-p", "scripts.mutate_auth", TABLE, "-k", f"test_who_may_call_each_action and {name}"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode == 5:
        raise SystemExit(f"no row of {TABLE} names {name}: add one")
    return result.returncode != 0


def main(argv):
    modes = ["allow", "deny"] if "--deny" in argv else ["allow"]
    every, public = auth_function_names()
    names = [arg for arg in argv if not arg.startswith("--")] or every
    survivors, equivalent = [], []
    for name in names:
        for mode in modes:
            if mode == "allow" and name in public:
                print(f"equal     {name} already allows everyone", flush=True)
                equivalent.append(name)
                continue
            started = time.monotonic()
            caught = killed(name, mode)
            verb = {"allow": "allows", "deny": "denies"}[mode]
            print(f"{'killed  ' if caught else 'SURVIVED'}  {name} always {verb}  ({time.monotonic() - started:.0f}s)",
                  flush=True)
            if not caught:
                survivors.append(f"{name}:{mode}")
    tried = len(names) * len(modes) - len(equivalent)
    print(f"{tried - len(survivors)} killed, {len(survivors)} survived, {len(equivalent)} equal to the original"
          + (": " + ", ".join(survivors) if survivors else ""))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
