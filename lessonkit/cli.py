"""`lessonkit serve | check | new | schema`: the trainer's and the educator's command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .server.launch import (  # noqa: F401
    DASHBOARD,
    FILE_ALLOWLIST,
    FILE_DENYLIST,
    PAGE_EXTENSIONS,
    PRESENT,
    SESSION_NOTEBOOK,
    STANDBY,
    _activities,
    default_max_kernels,
    new_class_code,
    serve,
    voila_command,
    voila_config,
)
from .settings import process_settings

__all__ = ["build_parser", "main", "matching_learners", "voila_command", "voila_config"]


def default_notebooks() -> Path:
    """The repository's notebooks/ folder beside the package."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def default_trainer() -> Path:
    """The repository's trainer/ folder (the dashboard), served apart from the students' notebooks."""
    return Path(__file__).resolve().parent.parent / "trainer"


def prepare_cmd(args: argparse.Namespace) -> int:
    """Hidden: what `lessonkit serve` does before serving, reported as one JSON line on stdout."""
    import json

    from .checking import check
    from .datafiles import data_dir
    from .errors import StoreTooNew, StoreUnavailable
    from .store import ResponseStore

    data = data_dir(args.settings)
    out: dict = {"problems": check([data], data=data), "too_new": None, "schema": "", "purged": 0}
    store = ResponseStore.for_settings(args.settings, args.db or None, upgrade=True)
    try:
        out["schema"] = _upgrade_report(store, store.upgrade())   # before any kernel opens it
    except StoreTooNew as exc:
        out["too_new"] = f"{store.url}: {exc}"
    except StoreUnavailable as exc:   # e.g. PostgreSQL still starting: pages say "Not saved" until it is back
        out["schema"] = f"not reachable yet: {exc}"
        print(f"lessonkit serve: {store.url}: {exc}", file=sys.stderr)
    if out["too_new"] is None:
        out["purged"] = len(_purge(store, args.keep_days))
    store.close()
    print(json.dumps(out))
    return 0


def _purge(store, keep_days: int) -> list:
    from .errors import StoreUnavailable

    if not keep_days:
        return []
    try:
        return store.purge(keep_days)
    except StoreUnavailable as exc:
        print(f"lessonkit serve: could not delete old classes ({exc})", file=sys.stderr)
        return []


def check_cmd(args: argparse.Namespace) -> int:
    from .checking import check
    from .datafiles import data_dir

    problems = check(args.paths, data=data_dir(args.settings))
    for p in problems:
        print(p)
    if not problems:
        print(f"ok: {len(args.paths)} path(s) checked, no problems")
    return 1 if problems else 0


def new_cmd(args: argparse.Namespace) -> int:
    from .datafiles import data_dir
    from .scaffold import ScaffoldError, new_activity

    try:
        data = args.data if args.data is not None else data_dir(args.settings)
        yaml_path, notebook = new_activity(args.kind, args.slug, title=args.title, data=data,
                                           notebooks=args.notebooks)
    except (ScaffoldError, OSError) as exc:   # OSError: e.g. a folder it may not write to
        print(f"lessonkit new: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ScaffoldError) else 1
    print(f"created {yaml_path}\ncreated {notebook}")
    print(f"next: edit {yaml_path.name} (each field is explained in a comment), then run: "
          f"lessonkit check {yaml_path.parent.parent}")
    return 0


def schema_cmd(args: argparse.Namespace) -> int:
    from . import kinds
    from .schema import write_schemas

    if args.kind and args.kind not in kinds.names():
        print(f"lessonkit schema: unknown kind {args.kind!r}; choose one of: {', '.join(kinds.names())}",
              file=sys.stderr)
        return 2
    for path in write_schemas(args.out, [args.kind] if args.kind else None):
        print(f"wrote {path}")
    return 0


def _store(args: argparse.Namespace):
    """The trainer's store for a command, brought up to this lessonkit's schema first (and said so)."""
    from .store import ResponseStore

    store = ResponseStore.for_settings(args.settings, args.db or None, upgrade=True)
    report = _upgrade_report(store, store.upgrade())
    if report and not report.startswith("already"):
        print(f"lessonkit {args.command}: {report}", file=sys.stderr)
    return store


def _upgrade_report(store, change: tuple[str | None, str]) -> str:
    """What opening the store did to its schema, in one line."""
    before, after = change
    if before is None:
        return f"created a new class store at schema revision {after}"
    if store.recognised_legacy and before == after:
        return (f"recognised a lessonkit 0.1.0 store as schema revision {after} (stamped; nothing else "
                "was changed)")
    if before == after:
        return f"already at schema revision {after}: nothing to do"
    copy = f"; a copy was saved first to {store.backup_path}" if store.backup_path else ""
    return f"upgraded the class store from schema revision {before} to {after}{copy}"


def _target(args: argparse.Namespace, *, activity: bool = True) -> str | None:
    """The checked --class (and, when given or required, --activity); None after saying what is wrong."""
    from .identity import normalise_class_code

    code = normalise_class_code(args.class_code)
    if code is None:
        print(f"lessonkit {args.command}: --class must be 3 to 12 letters or digits, got {args.class_code!r}",
              file=sys.stderr)
        return None
    known = {a.slug for a in _activities(args.settings)}
    if activity and getattr(args, "activity", None) and known and args.activity not in known:
        print(f"lessonkit {args.command}: no activity {args.activity!r} (choose from: {', '.join(sorted(known))})",
              file=sys.stderr)
        return None
    return code


def _confirm(args: argparse.Namespace, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print(f"lessonkit {args.command}: {question} Add --yes to confirm.", file=sys.stderr)
        return False
    return input(f"{question} Type yes to go on: ").strip().lower() in ("y", "yes")


def _store_command(*, needs_class: bool = True, activity: bool = True):
    """A store subcommand: checks --class (and --activity) first, exit 2 if wrong, and turns an
    unreachable store into one line and exit 1. The command gets (args, class code or None)."""
    def wrap(func):
        def run(args: argparse.Namespace) -> int:
            from .errors import StoreUnavailable

            code = _target(args, activity=activity) if needs_class else None
            if needs_class and code is None:
                return 2
            try:
                return func(args, code)
            except StoreUnavailable as exc:
                print(f"lessonkit {args.command}: {exc}", file=sys.stderr)
                return 1
        return run
    return wrap


CURRENT = "each learner's latest answer to each question"


@_store_command()
def export_cmd(args: argparse.Namespace, code: str) -> int:
    from .export import export_file

    fmt = args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")
    done = export_file(_store(args), code, activity=args.activity, fmt=fmt, path=args.output,
                       settings=args.settings)
    records = f" and {done.trainer_records} of the trainer's record(s) (hidden posts)" if done.trainer_records else ""
    print(f"exported {done.answers} current answer(s) of class {code} ({CURRENT}; earlier answers stay in "
          f"the store){records} to {done.path}")
    return 0


@_store_command()
def reset_cmd(args: argparse.Namespace, code: str) -> int:
    from .export import reset_with_copy

    if not _confirm(args, f"Delete every answer to {args.activity!r} in class {code}? A copy is saved first."):
        print("nothing was changed")
        return 1
    path, rows = reset_with_copy(_store(args), code, args.activity, settings=args.settings)
    print(f"saved a copy of {rows} current answer(s) ({CURRENT}) to {path}, then deleted every answer to "
          f"{args.activity!r} in class {code}, earlier ones too")
    return 0


@_store_command()
def lock_cmd(args: argparse.Namespace, code: str) -> int:
    locked = args.command == "lock"
    _store(args).lock(code, args.activity, locked)
    print(f"{args.activity!r} is {'locked: answers are refused' if locked else 'open'} for class {code}")
    return 0


def _who(learner) -> str:
    """A learner as the trainer knows them: 'Nina (Azure Dingo 39, id azure-dingo-39)'."""
    from .identity import pseudonym

    alias = pseudonym(learner.learner)
    return f"{learner.display_name} ({alias}, id {learner.learner})" if learner.display_name \
        else f"{alias} (id {learner.learner})"


def matching_learners(learners: list, wanted: str, *, by_id: bool = False) -> list:
    """The learners a deletion request names: by id only (`by_id`), else by id, pseudonym ('Azure Dingo 39')
    or display name, ignoring case, extra spaces and hyphens."""
    if by_id:
        return [m for m in learners if m.learner == wanted.strip()]
    from .identity import name_key

    key = name_key(wanted)
    return [m for m in learners if key and (m.learner == wanted.strip() or name_key(m.learner) == key
                                            or (m.display_name and name_key(m.display_name) == key))]


@_store_command(activity=False)
def forget_cmd(args: argparse.Namespace, code: str) -> int:
    wanted = args.learner_id if args.learner_id is not None else args.learner
    if not wanted.strip():
        print("lessonkit forget: say whom to delete: --learner NAME (as the boards show it) or --learner-id ID",
              file=sys.stderr)
        return 2
    store = _store(args)
    learners = store.class_learners(code)
    found = matching_learners(learners, wanted, by_id=args.learner_id is not None)
    if not found:
        known = "; ".join(_who(m) for m in learners[:40]) + ("; ..." if len(learners) > 40 else "")
        listing = f"The class's learners: {known}" if learners else "The class has no learners."
        print(f"lessonkit forget: nobody in class {code} is {wanted!r} (by display name, pseudonym or id); "
              f"nothing was deleted. {listing}", file=sys.stderr)
        return 1
    if len(found) > 1:
        print(f"lessonkit forget: {len(found)} learners in class {code} match {wanted!r}; nothing was deleted. "
              "Run again with --learner-id and the id of the one to delete:", file=sys.stderr)
        for m in found:
            print(f"  {_who(m)}: {m.current} current answer(s), {m.saved} saved in all", file=sys.stderr)
        return 1
    [who] = found
    current = store.delete_learner(code, who.learner)
    print(f"deleted everything stored about {_who(who)} in class {code}: {current} current answer(s) and "
          f"{who.saved} saved in all (earlier answers included), their display name, sessions and the "
          "trainer's records about their posts")
    return 0


@_store_command(needs_class=False)
def purge_cmd(args: argparse.Namespace, _code: None) -> int:
    if args.older_than < 0:
        print("lessonkit purge: --older-than must be 0 or more days", file=sys.stderr)
        return 2
    store = _store(args)
    from datetime import datetime, timedelta, timezone

    cutoff = datetime.now(timezone.utc) - timedelta(days=args.older_than)
    old = [c for c in store.classes() if c.last_active < cutoff]
    if not old:
        print(f"no class is older than {args.older_than} days")
        return 0
    listing = ", ".join(c.class_code for c in old)
    if not _confirm(args, f"Delete {len(old)} class(es) older than {args.older_than} days ({listing})?"):
        print("nothing was changed")
        return 1
    gone = store.purge(args.older_than)
    print(f"deleted {len(gone)} class(es): {', '.join(c.class_code for c in gone)}")
    return 0


@_store_command(needs_class=False)
def upgrade_cmd(args: argparse.Namespace, _code: None) -> int:
    from .store import ResponseStore

    store = ResponseStore.for_settings(args.settings, args.db or None, upgrade=True)
    print(f"{store.url}: {_upgrade_report(store, store.upgrade())}")
    return 0


@_store_command(needs_class=False)
def classes_cmd(args: argparse.Namespace, _code: None) -> int:
    store = _store(args)
    found = store.classes()
    if not found:
        print("no classes in the store")
        return 0
    current = store.current_counts()
    print(f"{'class':<12} {'learners':>8} {'answers saved':>13} {'current':>8}  last active (UTC)")
    for c in found:
        print(f"{c.class_code:<12} {c.learners:>8} {c.answers:>13} {current.get(c.class_code, 0):>8}  "
              f"{c.last_active:%Y-%m-%d %H:%M}")
    print(f"answers saved: every answer submitted, each resubmission too; current: {CURRENT}, "
          "what lessonkit export writes")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The `lessonkit` command line: every command and option, each with a description."""
    parser = argparse.ArgumentParser(prog="lessonkit", description="Interactive customer-service lesson kit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    s = sub.add_parser("serve", help="serve the lesson with Voila for a class")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on; 0.0.0.0 lets phones on the network join")
    s.add_argument("--port", type=int, default=8866, help="port learners' pages are served on (default 8866)")
    s.add_argument("--class-code", help="class code students use (default: a new random code)")
    s.add_argument("--db", help="store URL (default: $LESSONKIT_DB, else SQLite in your user data folder)")
    s.add_argument("--notebooks", default=str(default_notebooks()), help="folder of notebooks to serve")
    s.add_argument("--data", help="content folder (holding activities/) the pages read (default: $LESSONKIT_DATA, "
                                  "else the repository's data/)")
    s.add_argument("--cull-idle", type=int, default=900,
                   help="seconds before an idle learner kernel is shut down (default 900: phones on weak wifi "
                        "may go quiet for minutes)")
    s.add_argument("--trainer-port", type=int, help="port of the trainer dashboard, on this computer only "
                                                    "(default: --port + 1)")
    s.add_argument("--trainer-key", help="key in the dashboard address (default: a new random key)")
    s.add_argument("--preheat", action="append", default=[], metavar="ACTIVITY",
                   help="start kernels for this activity (slug, e.g. colour-days) before students arrive; "
                        "repeat or comma-separate for more")
    s.add_argument("--class-size", type=int, default=30,
                   help="learners you expect (default 30); with --preheat, this many kernels are started "
                        "before they arrive")
    s.add_argument("--pool-size", type=int, default=None,
                   help="kernels started ahead for the lesson page and each preheated activity (default: "
                        "--class-size; 0 starts none)")
    s.add_argument("--max-kernels", type=int, default=None,
                   help="learner pages that may be open at once; past it a page says the class is full "
                        "(default: twice --class-size, at least 10)")
    s.add_argument("--per-learner", type=int, default=3,
                   help="pages one learner may have open at once, e.g. a laptop and a phone (default 3)")
    s.add_argument("--keep-days", type=int, default=30,
                   help="delete classes whose last answer is older than this at start (default 30; 0 keeps all)")
    s.add_argument("--trainer-notebooks", default=str(default_trainer()), help=argparse.SUPPRESS)
    s.set_defaults(func=serve)
    pr = sub.add_parser("_prepare", help=argparse.SUPPRESS)   # used by serve; not listed
    pr.add_argument("--db", help="store URL, as for serve")
    pr.add_argument("--keep-days", type=int, default=30, help="as for serve")
    pr.set_defaults(func=prepare_cmd)

    def store_options(p: argparse.ArgumentParser, *, activity: bool = False, class_required: bool = True) -> None:
        if class_required:
            p.add_argument("--class", dest="class_code", required=True, help="the class code, e.g. K7QX2M")
        if activity:
            p.add_argument("--activity", required=True, help="activity slug, e.g. colour-days")
        p.add_argument("--db", help="store URL (default: $LESSONKIT_DB, else SQLite in your user data folder)")

    e = sub.add_parser("export", help="save a class's answers to CSV or Excel")
    store_options(e)
    e.add_argument("--activity", help="only this activity (slug); default: every activity")
    e.add_argument("--format", choices=["csv", "xlsx"], help="default: from --output's suffix, else csv")
    e.add_argument("-o", "--output", help="file to write (default: a new file in the exports folder)")
    e.set_defaults(func=export_cmd)
    r = sub.add_parser("reset", help="delete a class's answers to one activity (a copy is saved first)")
    store_options(r, activity=True)
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    r.set_defaults(func=reset_cmd)
    for name, text in (("lock", "stop taking answers for an activity"), ("unlock", "take answers again")):
        lk = sub.add_parser(name, help=text)
        store_options(lk, activity=True)
        lk.set_defaults(func=lock_cmd)
    f = sub.add_parser("forget", help="delete one learner's answers in a class")
    store_options(f)
    who = f.add_mutually_exclusive_group(required=True)
    who.add_argument("--learner", metavar="NAME",
                     help="the learner as the boards show them: display name (e.g. Nina), pseudonym (Azure Dingo "
                          "39) or id; when several learners match, they are listed and nothing is deleted")
    who.add_argument("--learner-id", metavar="ID", help="the learner's id exactly, e.g. azure-dingo-39 (as listed "
                                                         "when a name matches several learners)")
    f.set_defaults(func=forget_cmd)
    pg = sub.add_parser("purge", help="delete classes whose last answer is older than N days")
    store_options(pg, class_required=False)
    pg.add_argument("--older-than", type=float, required=True, metavar="DAYS",
                    help="delete the classes with no activity (answers, joins, locks, moves) for more than DAYS days")
    pg.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    pg.set_defaults(func=purge_cmd)
    up = sub.add_parser("upgrade", help="bring a class store to this lessonkit's schema (serve does it at start)")
    store_options(up, class_required=False)
    up.set_defaults(func=upgrade_cmd)
    cl = sub.add_parser("classes", help="list the classes in the store")
    store_options(cl, class_required=False)
    cl.set_defaults(func=classes_cmd)
    c = sub.add_parser("check", help="validate activity YAML files or folders")
    c.add_argument("paths", nargs="+", metavar="PATH", help="an activity YAML file, or a folder of them")
    c.set_defaults(func=check_cmd)
    n = sub.add_parser("new", help="start a new activity: a starter YAML, every field explained, and its notebook")
    n.add_argument("kind", help="kind of activity, e.g. quiz (an unknown kind lists them all)")
    n.add_argument("slug", help="the activity's id and file name, e.g. returns-fines")
    n.add_argument("--title", help="title shown to learners (default: from the slug)")
    n.add_argument("--data", help="content folder to add it to (default: $LESSONKIT_DATA, else the repository's data/)")
    n.add_argument("--notebooks", help="notebooks folder for its notebook (default: notebooks/ beside the data folder)")
    n.set_defaults(func=new_cmd)
    sc = sub.add_parser("schema", help="write the JSON Schema of each activity kind, for editors' completion")
    sc.add_argument("kind", nargs="?", help="only this kind (default: every kind)")
    sc.add_argument("--out", help="folder to write <kind>.schema.json into (default: the repository's docs/schema)")
    sc.set_defaults(func=schema_cmd)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.settings = process_settings()   # the command line is an edge: read once here, handed down
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
