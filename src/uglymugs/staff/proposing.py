"""Proposing an alert for review: a branch on the scheme's repository and a pull request.

Staff never need a terminal or a git command. The alert file is committed on top of
the newest ``origin/main`` without touching the staff member's own checkout (the
commit is built from trees, so their branch, index and other files stay as they
are), pushed as ``alert-NUMBER`` and offered as a pull request: with the GitHub CLI
when it is installed and logged in, else as the link that opens one.

Numbers are taken from the newest main and every open proposal (``alert-*``
branches): when two staff drafted the same number, the one who proposes second is
renumbered, and told.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from uglymugs.alerts.numbering import format_number, parse_number

ALERTS_PATH = ("site", "alerts")
BRANCH_PREFIX = "alert-"
_ATTEMPTS = 5
_NUMBER_LINE = re.compile(r"^number:.*$", re.MULTILINE)
_GITHUB = re.compile(r"github\.com[:/](?P<repo>[^/]+/[^/]+?)(?:\.git)?/?$")


class ProposeError(Exception):
    """Proposing failed; the message says what happened and what to do."""


@dataclass(frozen=True)
class Proposal:
    number: str
    branch: str
    renumbered_from: str | None
    pull_request: str | None  # the PR's address (gh), or the link that opens one


def git(checkout: Path, *args: str, data: bytes | None = None) -> str:
    """Run git in ``checkout``; its output, or :class:`ProposeError` with its last line."""
    program = shutil.which("git")
    if program is None:
        raise ProposeError("git is not installed: see docs/staff-setup.md")
    result = subprocess.run(  # noqa: S603
        [program, *args], cwd=checkout, input=data, capture_output=True, check=False, timeout=120
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ProposeError(f"git {args[0]} failed: {message[-1] if message else 'no message'}")
    return result.stdout.decode("utf-8", "replace")


def taken_numbers(checkout: Path) -> set[str]:
    """Alert numbers on the newest main and in every open proposal branch."""
    listed = git(checkout, "ls-tree", "--name-only", "origin/main", "/".join(ALERTS_PATH) + "/")
    numbers = {Path(name).stem for name in listed.split()}
    branches = git(checkout, "for-each-ref", "--format=%(refname:short)", "refs/remotes/origin/")
    for branch in branches.split():
        name = branch.removeprefix("origin/")
        if name.startswith(BRANCH_PREFIX):
            numbers.add(name.removeprefix(BRANCH_PREFIX))
    return numbers


def free_number(taken: set[str], local: set[str], year: int) -> str:
    used = [parse_number(n)[1] for n in taken | local if _is_number(n) and n.startswith(f"{year}-")]
    return format_number(year, max(used, default=0) + 1)


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def propose(checkout: Path, path: Path, staff_name: str) -> Proposal:
    """Fetch, renumber if taken, commit on ``alert-NUMBER``, push, open the pull request."""
    original = path.stem
    for _ in range(_ATTEMPTS):
        git(checkout, "fetch", "--prune", "origin")
        taken = taken_numbers(checkout)
        if path.stem in taken:
            path = renumber(path, free_number(taken, _local_numbers(path.parent), _year(path)))
        branch = BRANCH_PREFIX + path.stem
        commit = _commit(checkout, path, staff_name)
        try:
            git(checkout, "push", "origin", f"{commit}:refs/heads/{branch}")
        except ProposeError:
            continue  # someone pushed that branch in between: fetch and renumber
        renumbered = original if path.stem != original else None
        return Proposal(path.stem, branch, renumbered, _pull_request(checkout, branch, path))
    raise ProposeError("could not find a free alert number after several tries: try again")


def renumber(path: Path, number: str) -> Path:
    """Give the alert at ``path`` the new ``number`` (in its text and its file name)."""
    text = _NUMBER_LINE.sub(f"number: {number}", path.read_text(encoding="utf-8"), count=1)
    target = path.with_name(f"{number}.md")
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    path.unlink()
    return target


def _local_numbers(directory: Path) -> set[str]:
    return {p.stem for p in directory.glob("*.md")}


def _year(path: Path) -> int:
    return parse_number(path.stem)[0]


def _commit(checkout: Path, path: Path, staff_name: str) -> str:
    """A commit on origin/main adding ``path`` under site/alerts; the checkout untouched."""
    blob = git(checkout, "hash-object", "-w", "--stdin", data=path.read_bytes()).strip()
    tree = _tree_with(checkout, "origin/main^{tree}", list(ALERTS_PATH), path.name, blob)
    message = f"Alert {path.stem}: proposed by {staff_name}\n"
    identity = ["-c", f"user.name={staff_name}", "-c", "user.email=staff@localhost"]
    if git_config(checkout, "user.email"):
        identity = []
    return git(checkout, *identity, "commit-tree", tree, "-p", "origin/main", "-m", message).strip()


def git_config(checkout: Path, name: str) -> str:
    try:
        return git(checkout, "config", name).strip()
    except ProposeError:
        return ""


def _tree_with(checkout: Path, tree: str | None, parts: list[str], name: str, blob: str) -> str:
    """The tree ``tree`` with ``parts/name`` set to ``blob`` (creating folders as needed)."""
    entries = {}
    if tree is not None:
        for line in git(checkout, "ls-tree", "-z", tree).split("\0"):
            if line:
                meta, entry_name = line.split("\t", 1)
                entries[entry_name] = meta
    if not parts:
        entries[name] = f"100644 blob {blob}"
    else:
        inner = entries.get(parts[0])
        inner_tree = inner.split()[2] if inner and inner.split()[1] == "tree" else None
        sub = _tree_with(checkout, inner_tree, parts[1:], name, blob)
        entries[parts[0]] = f"040000 tree {sub}"
    listing = "".join(f"{meta}\t{entry}\0" for entry, meta in sorted(entries.items()))
    return git(checkout, "mktree", "-z", data=listing.encode("utf-8")).strip()


def _pull_request(checkout: Path, branch: str, path: Path) -> str | None:
    title = f"Alert {path.stem}"
    gh = shutil.which("gh")
    if gh:
        result = subprocess.run(  # noqa: S603
            [
                gh,
                "pr",
                "create",
                "--head",
                branch,
                "--base",
                "main",
                "--title",
                title,
                "--body",
                "Proposed from the staff console. Please review.",
            ],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip().splitlines()[-1]
    remote = git_config(checkout, "remote.origin.url")
    match = _GITHUB.search(remote)
    if match:
        return f"https://github.com/{match['repo']}/compare/main...{branch}?expand=1"
    return None
