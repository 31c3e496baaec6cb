"""``speakup`` commands that work on stored data: purge, withdrawals, reredact, keys, export."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta

from config.app import load_config
from config.settings import Settings
from storage import Database


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the data commands on the main parser."""
    sub.add_parser("purge", help="delete data older than the retention periods in config.yml")
    w = sub.add_parser("withdrawals", help="list conversations withdrawn since an export")
    w.add_argument("--since", required=True, metavar="EXPORT", help="an export id or an ISO date")
    r = sub.add_parser("reredact", help="re-run redaction on a stored answer, or hide it")
    r.add_argument("--answer", type=int, required=True, metavar="ID")
    r.add_argument("--hide", action="store_true", help="hide the answer instead")
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
    with db.session() as session:
        if args.command == "purge":
            from storage.maintenance import purge

            window = timedelta(hours=config.conversation.resume_window_hours)
            report = purge(session, config.retention, resume_window=window, now=now)
            print(" ".join(f"{k}={v}" for k, v in vars(report).items()))
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
    return 0
