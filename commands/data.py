"""``speakup`` commands that work on stored data: purge, withdrawals, reredact, keys, export."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from config.app import AppConfig, load_config
from config.settings import Settings
from storage import Database

if TYPE_CHECKING:
    from storage.maintenance import ReredactReport


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the data commands on the main parser."""
    sub.add_parser("purge", help="delete data older than the retention periods in config.yml")
    w = sub.add_parser("withdrawals", help="list conversations withdrawn since an export")
    w.add_argument("--since", required=True, metavar="EXPORT", help="an export id or an ISO date")
    r = sub.add_parser(
        "reredact", help="re-run redaction on stored answers (one, or --all), or hide one"
    )
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--answer", type=int, metavar="ID")
    which.add_argument(
        "--all",
        action="store_true",
        help="every stored answer and flag text redacted by an older redactor, in batches",
    )
    r.add_argument("--hide", action="store_true", help="hide the answer instead (with --answer)")
    r.add_argument("--force", action="store_true", help="with --all: also those already current")
    r.add_argument("--batch-size", type=int, default=200, metavar="N", help="rows per transaction")
    sub.add_parser("keys", help="show which HMAC key versions open conversations still use")
    st = sub.add_parser("staff", help="add or disable review staff accounts")
    st_sub = st.add_subparsers(dest="staff_command", required=True)
    st_add = st_sub.add_parser(
        "add", help="create an account and print its password and TOTP set-up link once"
    )
    st_add.add_argument("email")
    st_add.add_argument("--role", required=True, choices=("reviewer", "safeguarding", "admin"))
    st_dis = st_sub.add_parser("disable", help="disable an account")
    st_dis.add_argument("email")
    st_out = st_sub.add_parser("sign-out", help="end an account's sessions now (--everyone: all)")
    st_out.add_argument("email", nargs="?")
    st_out.add_argument("--everyone", action="store_true")
    e = sub.add_parser("export", help="export redacted answers (CSV or JSON Lines) to stdout")
    e.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    e.add_argument("--since", type=date.fromisoformat, metavar="DATE")
    e.add_argument("--by", default="cli", help="who is making the export (recorded)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one data command."""
    db = Database(settings.database_url)
    config = load_config()
    now = datetime.now(UTC)
    if args.command == "reredact" and args.all:
        return _reredact_all(db, config, force=args.force, batch_size=max(1, args.batch_size))
    vacuum_after = False
    with db.session() as session:
        if args.command == "purge":
            from storage.maintenance import purge

            window = timedelta(hours=config.conversation.resume_window_hours)
            report = purge(session, config.retention, resume_window=window, now=now)
            print(" ".join(f"{k}={v}" for k, v in vars(report).items()))
            # SQLite scrubs its file after this commit; PostgreSQL's dead rows go at VACUUM.
            vacuum_after = db.engine.dialect.name == "postgresql" and bool(
                report.answers or report.flags
            )
        elif args.command == "withdrawals":
            from storage.maintenance import withdrawals_since

            try:
                start, ids = withdrawals_since(session, args.since)
            except ValueError as exc:
                print(f"speakup: {exc}", file=sys.stderr)
                return 2
            print(
                f"# conversations withdrawn since {start.isoformat()}: remove their rows from earlier exports"
            )
            for conversation_id in ids:
                print(conversation_id)
        elif args.command == "reredact":
            from privacy import Redactor
            from storage.maintenance import reredact_answer

            print(reredact_answer(session, Redactor(config.privacy), args.answer, hide=args.hide))
        elif args.command == "keys":
            from storage.maintenance import key_versions_in_use

            in_use = key_versions_in_use(session)
            for version in settings.pseudonymiser().keys:
                count = in_use.get(version, 0)
                note = (
                    "current"
                    if version == settings.speakup_secret_key_version
                    else ("can be retired" if count == 0 else "still in use")
                )
                print(f"v{version}: {count} open conversations ({note})")
        elif args.command == "staff":
            from review.auth import SecretBox
            from review.staff import add_staff, disable_staff

            box = SecretBox(settings.session_secret())
            if args.staff_command == "add":
                account = add_staff(session, box, args.email, args.role, now)
                print(f"account: {account.email}\npassword (shown once): {account.password}")
                print(f"two-factor set-up (scan as a QR code or enter the key): {account.totp_uri}")
                print(f"key: {account.totp_secret}")
            elif args.staff_command == "sign-out":
                from review.staff import sign_out_staff

                if not args.everyone and not args.email:
                    print("speakup: name an account or give --everyone", file=sys.stderr)
                    return 2
                ended = sign_out_staff(session, None if args.everyone else args.email, now)
                if ended is None:
                    print(f"speakup: no account for {args.email}", file=sys.stderr)
                    return 2
                print(f"ended {ended} sessions")
            elif not disable_staff(session, args.email, now):
                print(f"speakup: no account for {args.email}", file=sys.stderr)
                return 2
            else:
                print(f"disabled {args.email}")
        elif args.command == "export":
            from dialogues import load_dialogue
            from review.export import export_answers

            def progress(n: int, total: int) -> None:
                # A progress bar on the terminal (stderr), so stdout stays a clean file.
                if sys.stderr.isatty() and (n % 200 == 0 or n == total):
                    filled = int(30 * n / max(total, 1))
                    bar = "#" * filled + "-" * (30 - filled)
                    print(f"\r[{bar}] {n}/{total} answers", end="", file=sys.stderr)

            result = export_answers(
                session,
                load_dialogue(config.dialogue),
                sys.stdout,
                fmt=args.format,
                by=args.by,
                now=now,
                since=args.since,
                progress=progress,
            )
            print(f"\rexport {result.id}: {result.rows} answers", file=sys.stderr)
    if args.command == "purge" and vacuum_after:
        from storage.scrub import vacuum

        vacuum(db.engine)
    return 0


def progress_bar(report: ReredactReport, *, width: int = 30) -> str:
    """One line of progress: counts only, never stored text."""
    filled = int(width * report.done / max(report.total, 1))
    bar = "#" * filled + "-" * (width - filled)
    return (
        f"[{bar}] {report.done}/{report.total} checked, {report.changed} changed, "
        f"{report.hidden} hidden"
    )


def _reredact_all(db: Database, config: AppConfig, *, force: bool, batch_size: int) -> int:
    """``speakup reredact --all``: a progress bar on stderr, a summary line on stdout."""
    from privacy import REDACTION_VERSION, Redactor
    from storage.maintenance import reredact_all

    tty = sys.stderr.isatty()
    shown = [-1]

    def progress(report: ReredactReport) -> None:
        # On a terminal one bar redrawn in place; in a log, a line at each tenth of the way.
        tenth = 10 * report.done // max(report.total, 1)
        if tty:
            print(f"\r{progress_bar(report)}", end="", file=sys.stderr, flush=True)
        elif tenth != shown[0] or report.done == report.total:
            shown[0] = tenth
            print(progress_bar(report), file=sys.stderr, flush=True)

    redactor = Redactor(config.privacy)
    try:
        report = reredact_all(
            db,
            redactor,
            version=REDACTION_VERSION,
            force=force,
            batch_size=batch_size,
            progress=progress,
        )
    except KeyboardInterrupt:
        print(
            "\nspeakup: interrupted; finished batches are kept, run it again to resume",
            file=sys.stderr,
        )
        return 130
    finally:
        redactor.close()
    if tty:
        print(file=sys.stderr)
    print(
        f"redaction version {REDACTION_VERSION}: {report.done} checked, {report.changed} changed, "
        f"{report.hidden} hidden (redaction failed), {report.blanked} flag texts removed; "
        f"index and file {'swept' if report.swept else 'NOT swept (busy: run again)'}"
    )
    return 0
