"""The ``speakup`` command line."""

from __future__ import annotations

import argparse
import gc
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from commands.data import add_commands
from commands.data import run as run_data_command
from commands.providers import add_commands as add_channel_commands
from commands.providers import run as run_channel_command
from commands.themes import add_commands as add_theme_commands
from commands.themes import run as run_theme_command
from config.app import ConfigError
from config.settings import Settings

DATA_COMMANDS = {"purge", "withdrawals", "reredact", "keys", "export", "staff"}
HELP = """Speak Up: anonymous consultation bot.

commands:
  serve      run the web service (web chat at /, webhooks under /webhooks/)
  chat       talk to the consultation in this terminal, through the same engine
  migrate    create or upgrade the database schema (DATABASE_URL)
  redact     read JSON Lines {"text": ...} on stdin, write redacted JSON Lines
  risk       read JSON Lines {"text": ...} on stdin, write risk assessments as JSON Lines
  risk train [--corrections FILE.tsv]
             rebuild the learned risk model from the labelled files (docs/safeguarding.md)
  purge      delete data older than the retention periods in config.yml (schedule it daily)
  withdrawals --since EXPORT
             list conversations withdrawn since an export, for analysts to remove
  reredact --answer ID [--hide]
             re-run redaction on a stored answer, or hide it
  reredact --all [--force]
             re-run the current redactor over every stored answer, in batches (resumable)
  keys       show which HMAC key versions open conversations still use
  export --format csv|jsonl [--since DATE]
             export redacted answers to stdout
  staff add EMAIL --role reviewer|safeguarding|admin, staff disable EMAIL
             manage review staff accounts (password + TOTP two-factor)
  staff sign-out EMAIL | staff sign-out --everyone
             end staff sessions at once
  telegram set-webhook
             register the Telegram webhook and its secret token
  twilio check
             check the Twilio credentials
  themes suggest --codebook FILE.yml [--examples FILE.jsonl] [--top 3]
             read JSON Lines {"id", "text"} on stdin, write suggested themes as JSON Lines
  themes discover --codebook FILE.yml [--examples FILE.jsonl]
             group answers no theme fits into candidate themes (typical answers, words)
  themes import FILE.yml, themes export, themes refresh
             load the theme codebook into the database, print it as YAML, or re-score
             every stored answer
"""


def _settings() -> Settings:
    from config.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        raise SystemExit(f"speakup: cannot start: {exc}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the service with uvicorn."""
    created_metrics_folder = args.workers > 1 and _metrics_folder()
    # Start-up makes a few million objects that live as long as the process (spaCy, Presidio, the
    # models): the cyclic collector scanning them again and again cost about 0.35 s of start-up.
    # It runs rarely while loading; what was loaded is then frozen (never scanned again, and its
    # pages stay shared with forked workers), and the usual thresholds come back.
    usual = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from server.app import StartupError, build_components, create_app
    from server.logfilter import configure_logging

    configure_logging()
    settings = _settings()
    if args.workers > 1 and settings.database_url.startswith("sqlite"):
        raise SystemExit(
            "speakup: cannot start: SQLite serves one process; use PostgreSQL for --workers > 1"
        )
    try:
        components = build_components(settings)
        components.db.migrate()
        app = create_app(settings, components)
    except (ConfigError, StartupError) as exc:
        raise SystemExit(f"speakup: cannot start: {exc}") from None
    except SQLAlchemyError as exc:  # the database cannot be opened or written: say so plainly
        raise SystemExit(f"speakup: cannot start: {_database_problem(exc)}") from None
    gc.freeze()
    gc.set_threshold(*usual)
    if args.workers > 1:
        # Checked, migrated and loaded once here; each forked worker shares the loaded redactor.
        from server.prefork import Supervisor, bind

        components.db.dispose()
        components.redactor.close()  # its threads stay in this process; workers make their own
        sock = bind(args.host, args.port)
        shared = components.redactor
        code = Supervisor(
            sock,
            lambda: create_app(settings, build_components(settings, redactor=shared)),
            args.workers,
        ).run()
        if created_metrics_folder:
            shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
        return code
    from server.prefork import server_options

    uvicorn.run(app, host=args.host, port=args.port, **server_options())  # type: ignore[arg-type]
    return 0


def _metrics_folder() -> bool:
    """Several workers share their metrics through files (set before prometheus_client loads).

    Returns True when the folder is ours to remove at exit.
    """
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:  # the operator's own: emptied at start, as prometheus_client requires
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, mode=0o700)
        return False
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="speakup-metrics-")
    return True


def cmd_migrate(_: argparse.Namespace) -> int:
    """Apply migrations."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage import Database

    settings = _settings()
    try:
        Database(settings.database_url).migrate()
    except SQLAlchemyError as exc:
        raise SystemExit(f"speakup: cannot migrate: {_database_problem(exc)}") from None
    print("database is up to date")
    return 0


def _database_problem(exc: Exception) -> str:
    """A database error in plain words, without the driver's message (it may hold a URL)."""
    return (
        f"the database cannot be opened or written ({type(exc).__name__}); "
        "check DATABASE_URL, its permissions and free space"
    )


def cmd_chat(_: argparse.Namespace) -> int:
    """A terminal conversation on the 'cli' channel (a shared device: always starts fresh)."""
    from bot.messages import InboundMessage, numbered_choices
    from server.app import StartupError, build_components
    from server.service import ChannelInfo

    settings = _settings()
    try:
        parts = build_components(settings)
    except (ConfigError, StartupError) as exc:
        raise SystemExit(f"speakup: cannot start: {exc}") from None
    parts.db.migrate()
    sender = secrets.token_urlsafe(16)
    info = ChannelInfo(kind="cli", personal=False)
    print("Speak Up in the terminal. Type START to begin, BYE to end, Ctrl-D to quit.\n")
    text = "start"
    while True:
        inbound = InboundMessage(
            channel="cli", sender=sender, text=text, received_at=datetime.now(UTC)
        )
        for reply in parts.service.handle(inbound, info):
            print(numbered_choices(reply.text, reply.choices), end="\n\n")
        try:
            text = input("> ")
        except EOFError:
            print()
            return 0


def _jsonl(transform: str) -> int:
    """Shared JSON Lines loop for ``redact`` and ``risk``: one output line per input line."""
    failed = False
    if transform == "redact":
        from config.app import load_config
        from privacy import RedactionError, Redactor

        redactor = Redactor(load_config().privacy)
    else:
        from safeguarding import load_detector

        detector = load_detector()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text = data["text"]
            if not isinstance(text, str):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            print(json.dumps({"error": "each line must be a JSON object with a string 'text'"}))
            failed = True
            continue
        if transform == "redact":
            try:
                result = redactor.redact(text)
            except RedactionError as exc:
                print(json.dumps({"error": str(exc)}))
                failed = True
                continue
            print(
                json.dumps(
                    {"text": result.text, "entities": [e.as_dict() for e in result.entities]}
                )
            )
        else:
            print(json.dumps(detector.assess(text).as_dict()))
        sys.stdout.flush()
    return 1 if failed else 0


def _build_models(force: bool) -> int:
    """Build the 8-bit name tagger beside the interpreter unless it is already there."""
    from privacy.recognizers.rampart import model_dir
    from privacy.recognizers.rampart_int8 import build, built_path

    model = model_dir()
    out = built_path(model)
    if out.exists() and not force:
        print(f"name tagger: already built ({out})")
        return 0
    started = time.perf_counter()
    build(model, out)
    print(f"name tagger: built {out} in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the ``speakup`` console script."""
    parser = argparse.ArgumentParser(
        prog="speakup", description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="command")
    serve = sub.add_parser("serve", help="run the web service")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (use PostgreSQL and Redis for more than one)",
    )
    sub.add_parser("chat", help="talk to the consultation in this terminal")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    sub.add_parser("redact", help="redact JSON Lines from stdin")
    risk = sub.add_parser("risk", help="assess risk for JSON Lines from stdin; 'train' rebuilds")
    risk.add_argument("action", nargs="?", choices=("train",), help="rebuild the model")
    risk.add_argument("--corrections", type=Path, help="staff corrections, level<TAB>text")
    risk.add_argument("--output", type=Path, help="model file to write (default: the service's)")
    models = sub.add_parser("models", help="'build' makes the name tagger's 8-bit model (install)")
    models.add_argument("action", choices=("build",), help="build what is missing")
    models.add_argument("--force", action="store_true", help="build again even if present")
    add_commands(sub)
    add_channel_commands(sub)
    add_theme_commands(sub)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "chat":
        return cmd_chat(args)
    if args.command == "migrate":
        return cmd_migrate(args)
    if args.command == "risk" and args.action == "train":
        from commands.risktrain import run as train_risk_model

        return train_risk_model(args.corrections, args.output)
    if args.command == "models":
        return _build_models(args.force)
    if args.command in ("redact", "risk"):
        return _jsonl(args.command)
    if args.command == "themes":
        return run_theme_command(args)
    if args.command in ("telegram", "twilio"):
        return run_channel_command(args, _settings())
    if args.command in DATA_COMMANDS:
        return run_data_command(args, _settings())
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
