"""Mutation testing with mutmut 3: ``python3 dev.py mutants [PATH...]``.

For each path (a module or a folder) it copies the tree into ``.mutants/<path>/``, has mutmut
change one thing at a time in that path's modules only, runs the tests that cover the changed
function, and prints one JSON line per module: how many mutants were killed, how many
survived, and the score. Survivors named in ``docs/TESTING.md`` (equivalent mutants, each
with its reason) are counted apart; any other survivor is listed with its diff and makes the
command exit 1.

Run by dev.py inside the project's virtual environment; not part of the CI run (too slow on
two cores: a module of ~800 mutants takes about 8 minutes). A folder is one mutmut run,
so the tests' coverage is mapped once for all its modules.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutants"
TESTING_DOC = ROOT / "docs" / "TESTING.md"
PACKAGES = ("loyalty_core", "pos_client", "sync_server", "hardware", "resources", "migrations")
COPIED = (*PACKAGES, "tests")

# The modules the issue holds to a score, with the bar each must clear.
DEFAULT_TARGETS: dict[str, float] = {
    "loyalty_core/pricing.py": 0.90,
    "loyalty_core/wallet.py": 0.90,
    "loyalty_core/returns.py": 0.90,
    "loyalty_core/giftcards.py": 0.90,
    "loyalty_core/promos.py": 0.90,
    "loyalty_core/bonuses.py": 0.90,
    "loyalty_core/sale.py": 0.90,
    "loyalty_core/payment.py": 0.90,
    "pos_client/services": 0.80,
    "pos_client/adapters/unit_of_work.py": 0.80,
    "hardware/receipt_layout.py": 0.80,
    "sync_server/services": 0.80,
}

# Which tests may kill a mutant of a module, by the module's path prefix (first match wins).
# The UI suite is left out: a forked Qt application per mutant is neither fast nor sound.
TESTS_FOR: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("loyalty_core/wire/", ("tests/unit/wire", "tests/unit/loyalty_core")),
    ("loyalty_core/", ("tests/unit/loyalty_core", "tests/unit/wire")),
    ("hardware/", ("tests/unit/hardware", "tests/integration/hardware")),
    (
        "pos_client/",
        (
            "tests/unit/pos_client",
            "tests/integration/till",
            "tests/e2e/enrollment",
            # The sync service against a real server (in-process; no Qt, no child processes).
            "tests/e2e/sync/test_till_sync.py",
            "tests/e2e/sync/test_redemption_policy.py",
            "tests/e2e/sync/test_offline_orders.py",
            "tests/e2e/sync/test_concurrent_resend.py",
        ),
    ),
    (
        "sync_server/",
        (
            "tests/unit/sync_server",
            "tests/integration/sync_server",
            "tests/e2e/sync_server",
            "tests/e2e/dashboard",
            # The web survey and the till's scorecards, against tills of our own.
            "tests/e2e/sync/test_web_survey.py",
            "tests/e2e/sync/test_till_scorecards.py",
        ),
    ),
)

STATUS_BY_EXIT_CODE = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
TIMEOUT_CODES = {36, 24, -24, 152, 255}
EQUIVALENT_NAME = re.compile(r"`([a-z_][\w.]*__mutmut_\d+)`")


@dataclass
class ModuleResult:
    module: str
    killed: int = 0
    survived: list[str] = field(default_factory=list)
    no_tests: list[str] = field(default_factory=list)
    timeout: int = 0
    other: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.killed + self.timeout + len(self.survived) + len(self.no_tests)

    @property
    def score(self) -> float:
        # A timeout is a kill (the mutant hung the test); a mutant no test reaches survives.
        return round((self.killed + self.timeout) / self.total, 4) if self.total else 0.0


def has_functions(path: Path) -> bool:
    """mutmut 3 mutates inside functions and methods only: a module without any (a package's
    docstring-only ``__init__``, constants) has no mutant, and mutmut stops with an error."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) for n in ast.walk(tree))


def modules_of(paths: list[str]) -> list[str]:
    """Expand folders into their .py modules that hold functions (see ``has_functions``)."""
    modules: list[str] = []
    for raw in paths:
        path = (ROOT / raw).resolve()
        if not path.exists():
            sys.exit(f"mutants: no such file or folder: {raw}")
        found = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in found:
            rel = file.relative_to(ROOT).as_posix()
            if "__pycache__" not in rel and rel not in modules and has_functions(file):
                modules.append(rel)
    return modules


def tests_for(module: str) -> tuple[str, ...]:
    for prefix, tests in TESTS_FOR:
        if module.startswith(prefix):
            return tests
    sys.exit(f"mutants: no test selection is configured for {module} (see TESTS_FOR)")


def prepare_workdir(target: str, modules: list[str]) -> Path:
    """A copy of the tree where mutmut changes ``modules`` (one run: the tests' coverage is
    mapped once for all of them, which is most of the time on a slow suite)."""
    workdir = WORK / target.rstrip("/").replace("/", "__").removesuffix(".py")
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
    for name in COPIED:
        shutil.copytree(ROOT / name, workdir / name, ignore=ignore)
    config = {
        "source_paths": list(PACKAGES),
        "only_mutate": modules,
        "pytest_add_cli_args_test_selection": list(tests_for(modules[0])),
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-q"],
    }
    lines = ["", "[tool.mutmut]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in config.items()]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (workdir / "pyproject.toml").write_text(pyproject + "\n".join(lines) + "\n", encoding="utf-8")
    return workdir


def run_mutmut(workdir: Path, jobs: int) -> int:
    log = workdir / "mutmut.log"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    mutmut = Path(sys.executable).with_name("mutmut")
    with log.open("w", encoding="utf-8") as out:
        return subprocess.call(
            [str(mutmut), "run", "--max-children", str(jobs)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def collect(workdir: Path, module: str) -> ModuleResult:
    meta = workdir / "mutants" / f"{module}.meta"
    result = ModuleResult(module)
    if not meta.exists():  # a module with nothing to mutate (constants, re-exports)
        return result
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    for name, code in sorted(codes.items(), key=lambda item: _natural(item[0])):
        if code in TIMEOUT_CODES:
            result.timeout += 1
            continue
        status = STATUS_BY_EXIT_CODE.get(code) if code is not None else "not checked"
        if status == "killed":
            result.killed += 1
        elif status == "survived":
            result.survived.append(name)
        elif status == "no tests":
            result.no_tests.append(name)
        else:
            label = status or f"exit {code}"
            result.other[label] = result.other.get(label, 0) + 1
    return result


def _mutants_in(workdir: Path, modules: list[str]) -> int:
    return sum(collect(workdir, module).total for module in modules)


def _natural(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number) if number.isdigit() else 0


def diff_of(workdir: Path, name: str) -> str:
    mutmut = Path(sys.executable).with_name("mutmut")
    shown = subprocess.run(
        [str(mutmut), "show", name], cwd=workdir, capture_output=True, text=True, check=False
    )
    return shown.stdout.strip() or shown.stderr.strip()


def documented_equivalents() -> set[str]:
    if not TESTING_DOC.exists():
        return set()
    return set(EQUIVALENT_NAME.findall(TESTING_DOC.read_text(encoding="utf-8")))


def report(result: ModuleResult, workdir: Path, equivalents: set[str], elapsed: float) -> bool:
    """Print the module's JSON line, then each unexplained survivor with the line it changed."""
    left = result.survived + result.no_tests
    unexplained = [name for name in left if name not in equivalents]
    line: dict[str, object] = {
        "module": result.module,
        "mutants": result.total,
        "killed": result.killed + result.timeout,
        "survived": len(left),
        "score": result.score,
        "equivalent": len(left) - len(unexplained),
        "unexplained": len(unexplained),
        "timeout": result.timeout,
        "seconds": round(elapsed, 1),
    }
    if result.other:
        line["not_run"] = result.other
    print(json.dumps(line, ensure_ascii=False), flush=True)
    name = result.module.removesuffix(".py").replace("/", "__")
    survivors_file = workdir / f"{name}.survivors.txt"
    with survivors_file.open("w", encoding="utf-8") as out:
        for name in left:
            diff = diff_of(workdir, name)
            explained = name in equivalents
            tag = "equivalent (docs/TESTING.md)" if explained else "UNEXPLAINED"
            out.write(f"## {name} [{tag}]\n{diff}\n\n")
            if not explained:
                status = "no test reaches it" if name in result.no_tests else "survived"
                print(f"  {status}: {name}  {_changed_line(diff)}", flush=True)
    if unexplained:
        print(f"  diffs: {survivors_file.relative_to(ROOT)}", flush=True)
    return not unexplained


def _changed_line(diff: str) -> str:
    """The mutated line of a unified diff, shortened: '-old  =>  +new'."""
    removed = [
        ln[1:].strip()
        for ln in diff.splitlines()
        if ln.startswith("-") and not ln.startswith("---")
    ]
    added = [
        ln[1:].strip()
        for ln in diff.splitlines()
        if ln.startswith("+") and not ln.startswith("+++")
    ]
    text = f"{removed[0] if removed else ''}  =>  {added[0] if added else ''}"
    return text if len(text) <= 160 else text[:157] + "..."


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev.py mutants", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="modules or folders (default: the held set)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--min-score", type=float, help="fail below this score (default: the held bar)"
    )
    args = parser.parse_args(argv)
    targets = args.paths or list(DEFAULT_TARGETS)
    equivalents = documented_equivalents()
    ok = True
    for target in targets:
        bar = args.min_score
        if bar is None:
            bar = DEFAULT_TARGETS.get(target.rstrip("/"), 0.0)
        modules = modules_of([target])
        folder = ModuleResult(target.rstrip("/"))
        if not modules:
            print(json.dumps({"folder": folder.module, "mutants": 0}), flush=True)
            continue
        started_folder = time.monotonic()
        workdir = prepare_workdir(target, modules)
        code = run_mutmut(workdir, args.jobs)
        if code != 0:
            log = workdir / "mutmut.log"
            print(f"mutants: mutmut failed on {target} (exit {code}); see {log}", file=sys.stderr)
            ok = False
            continue
        elapsed = time.monotonic() - started_folder
        for module in modules:
            result = collect(workdir, module)
            share = elapsed * result.total / max(1, _mutants_in(workdir, modules))
            ok = report(result, workdir, equivalents, share) and ok
            folder.killed += result.killed
            folder.timeout += result.timeout
            folder.survived += result.survived
            folder.no_tests += result.no_tests
        scored = folder if len(modules) > 1 else None
        if scored is not None:
            summary = {
                "folder": scored.module,
                "mutants": scored.total,
                "killed": scored.killed + scored.timeout,
                "survived": len(scored.survived) + len(scored.no_tests),
                "score": scored.score,
                "seconds": round(time.monotonic() - started_folder, 1),
            }
            print(json.dumps(summary), flush=True)
        if folder.total and folder.score < bar:
            print(f"  {target}: score {folder.score} is below {bar}", file=sys.stderr)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
