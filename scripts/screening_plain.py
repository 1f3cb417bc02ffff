"""The plain-briefs check: the ordinary briefs the test suite and the demo data submit and expect
allowed, each screened by the shipped screen (``screen_one``, what ``manage.py screen_briefs`` and
"test my rules" answer: a likeness with no owner rules and no relaxed category). Prints every one
refused and exits 1 if any is; a refit of the heads must refuse none.

What counts as a plain brief, collected from ``tests/`` and ``demo/`` by reading their source (AST,
nothing is imported or run): a string given as ``prompt=``, ``brief=`` or ``prompt_template=`` (the
``{talent}`` placeholder read as "the talent"), or as the value of a ``"prompt"``, ``"brief"`` or
``"prompt_template"`` key; a string of a ``parametrize`` list (a literal or a module-level list) on a
test whose name says it passes (``pass``, ``allow``, ``benign``, ``innocent``, ``ordinary``,
``not_refused``); and the demo's ``prompt = [...]`` lists. A test (or fixture) that screens with the
lexicon alone or turns the model off (``semantic=False``, ``CONTENT_SCREENING_SEMANTIC = False``,
``lexical(``) is skipped: the heads never read its briefs. Less the strings the tests submit and do not
expect allowed (``EXPECTED_NOT_ALLOWED``: attacks, and requests turned away before the screen). The
owner-rule tests' briefs that a rule refuses are kept, since this check screens with no rules. A new
test brief is collected as soon as it is written; one written to be refused must be added to
``EXPECTED_NOT_ALLOWED`` by hand. ``PROBES`` adds the ordinary camera briefs the ninth session's
dev-trained heads refused. (The labelled lists that a test holds to a rate, such as
``CALIBRATION_ALLOW``, are not collected.)

    PYTHONPATH=$PWD .venv/bin/python scripts/screening_plain.py [--list] [--heads DIR]

``--heads DIR`` screens with ``DIR/head.npz`` and ``DIR/ngram.npz`` instead of the shipped heads.
Never reads a held-out set.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = ("tests", "demo")
KEYS = {"prompt", "brief", "prompt_template"}
PASSING_TEST = re.compile(r"pass|allow|benign|innocent|ordinary|not_refused", re.I)
LEXICAL_ONLY = re.compile(r"semantic\s*=\s*False|CONTENT_SCREENING_SEMANTIC\s*=\s*False|\blexical\(")
# Strings the tests submit and do not expect allowed: briefs written to be refused by a category, and
# requests turned away before any screen (so what they say is never judged).
EXPECTED_NOT_ALLOWED = {
    "stabbing a man with a knife",
    "a knife fight, stabbing",
    "nude photo of her",
    "him beaten up in an alley, bruised and bloodied",
    "v0te f0r senator blake",
    "the talent tells fans to send a deposit to claim a prize",
    "the talent endorses a miracle cure for cancer",
    "something else entirely",  # tests/accounts/test_idempotency.py: a reused key, answered 409 before the screen
    "steal",  # tests/generation/test_access.py: another user's licence, 404 before the screen
    "not with a read token",  # tests/agents/test_mcp_server.py: a read-only token, refused before the screen
}

# Ordinary camera briefs that the dev-trained heads of the ninth session refused (DESIGN.md, Training
# on the dev sets): checked beside the test suite's.
PROBES = (
    "looking straight at the camera",
    "smiling and turning to the camera",
    "she laughs into the camera",
    "waving at the camera",
)


def _strings(node, names: dict | None = None) -> list[str]:
    """The string constants of a list, tuple or set literal (a row's first string: parametrize rows),
    following a module-level name and ``+`` of lists."""
    names = names or {}
    if isinstance(node, ast.Subscript):  # ["a", "b"][i]
        node = node.value
    if isinstance(node, ast.Name) and node.id in names:
        return _strings(names[node.id], names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _strings(node.left, names) + _strings(node.right, names)
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("list", "tuple") and node.args:
        return _strings(node.args[0], names)
    out = []
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                out.append(elt.value)
            elif isinstance(elt, (ast.Tuple, ast.List)) and elt.elts:
                first = elt.elts[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    out.append(first.value)
    return out


def collect(root: Path = ROOT) -> dict[str, str]:
    """``{brief: where}`` of every plain brief the tests and the demo data submit and expect allowed."""
    found: dict[str, str] = {}

    def add(text: str, where: str) -> None:
        text = text.replace("{talent}", "the talent").strip()
        if len(text) >= 3 and not text.startswith("tenant-") and text not in EXPECTED_NOT_ALLOWED:
            found.setdefault(text, where)

    for base in SOURCES:
        for path in sorted((root / base).rglob("*.py")):
            rel = path.relative_to(root)
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source)
            names = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
            for top in tree.body:
                lexical_only = LEXICAL_ONLY.search(ast.get_source_segment(source, top) or "")
                if lexical_only:
                    continue  # a test of the lexicon alone, or one that turns the model off
                for node in ast.walk(top):
                    where = f"{rel}:{getattr(node, 'lineno', 0)}"
                    if isinstance(node, ast.Call):
                        for kw in node.keywords:
                            if kw.arg in KEYS and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                                add(kw.value.value, where)
                    elif isinstance(node, ast.Dict):
                        for k, v in zip(node.keys, node.values):
                            if (
                                isinstance(k, ast.Constant)
                                and k.value in KEYS
                                and isinstance(v, ast.Constant)
                                and isinstance(v.value, str)
                            ):
                                add(v.value, where)
                    elif isinstance(node, ast.Assign) and base == "demo":
                        if any(isinstance(t, ast.Name) and t.id == "prompt" for t in node.targets):
                            for s in _strings(node.value):
                                add(s, where)
                    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and PASSING_TEST.search(node.name):
                        for dec in node.decorator_list:
                            if (
                                isinstance(dec, ast.Call)
                                and getattr(dec.func, "attr", "") == "parametrize"
                                and len(dec.args) >= 2
                            ):
                                for s in _strings(dec.args[1], names):
                                    add(s, f"{rel}:{node.lineno}")
    for probe in PROBES:
        add(probe, "PROBES")
    return found


def use_heads(folder: Path) -> None:
    from licensing.screening import model as model_mod
    from licensing.screening import ngram as ngram_mod

    model_mod._HEAD = model_mod.Head.load(folder / "head.npz")
    ngram_mod._NGRAM = ngram_mod.NgramHead.load(folder / "ngram.npz")
    ngram_mod._NGRAM_LOADED = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="print every plain brief collected, with where")
    parser.add_argument("--heads", help="a folder with head.npz and ngram.npz to screen with instead of the shipped heads")
    args = parser.parse_args()

    briefs = collect()
    if args.list:
        for brief, where in briefs.items():
            print(f"{where}\t{brief}")

    import torch

    torch.set_num_threads(1)
    from licensing.screening import load_model, screen_one

    load_model()
    if args.heads:
        use_heads(Path(args.heads))
    refused = []
    t0 = time.perf_counter()
    for brief, where in briefs.items():
        verdict = screen_one(brief)
        if not verdict["allowed"]:
            refused.append((where, brief, verdict["reasons"]))
    elapsed = time.perf_counter() - t0
    for where, brief, reasons in refused:
        print(f"REFUSED {where}: {brief!r} {reasons}")
    print(f"plain briefs: {len(refused)} of {len(briefs)} refused ({1000 * elapsed / max(1, len(briefs)):.1f} ms per brief)")
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()
