"""Command line: `snaptui get` for scripts, `snaptui simulate`, and the TUI entry points.

Imports Textual only when the TUI starts, and keyring only when it is needed.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from collections.abc import Callable, Sequence

from snaptui import __version__, i18n
from snaptui.exits import (
    EXIT_API,
    EXIT_CREDENTIALS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_TASK_FAILED,
    EXIT_USAGE,
    UsageError,
    exit_code_for,
)
from snaptui.i18n import N_, _, ngettext, translate
from snaptui.volc.errors import (
    ApiError,
    InvalidIdError,
    MalformedResponseError,
    SnaptuiError,
)

# typing.TYPE_CHECKING's value, without importing typing: a fresh process saves ~3 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from snaptui.volc.blocking import BlockingRtcClient
    from snaptui.volc.endpoints import Endpoint
    from snaptui.volc.exchange import TaskResponse
    from snaptui.volc.secret import Credentials

# 1, as coreutils and most shells' tools exit on a write error; the message tells it
# from an internal error, which shares it.
EXIT_OUTPUT = EXIT_INTERNAL
_EXIT_CODES = (
    (EXIT_OK, N_("success (with --watch: the task ended, Status 3)")),
    (
        EXIT_OUTPUT,
        N_(
            "the output could not be written (stdout closed, disk full), or an internal "
            "error; the message says which"
        ),
    ),
    (EXIT_USAGE, N_("usage error, invalid id or unknown profile (nothing was sent)")),
    (EXIT_CREDENTIALS, N_("no usable credentials")),
    (EXIT_API, N_("the API answered with an error (Code, RequestId and a hint on stderr)")),
    (EXIT_NETWORK, N_("network error, timeout, or a malformed answer")),
    (EXIT_TASK_FAILED, N_("with --watch: the task failed (Status 4)")),
)
# argparse's own words: it looks each up in its module-global `_` when it prints them.
_ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
)
LANG_CHOICES = (i18n.ENGLISH, i18n.CHINESE)
COMMANDS = ("get", "simulate", "demo", "watch", "login", "logout", "whoami")
MIN_INTERVAL = 1.0
MAX_INTERVAL = 86400.0
SIMULATOR_SECRET_ENV = "SNAPTUI_SIMULATOR_SECRET_KEY"
SHOWN_TASKS = 50  # the tasks simulate lists when it starts
MAX_WORD = 100  # the longest run without a space an error message repeats in full
MAX_PROBLEMS_SHOWN = 20  # bad lines of a watch list reported one by one


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        """Words left over are not repeated in the error: a key pasted on the command line
        (`login --access-key AK SK`) would be printed back, into a log. Options are named."""
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            options = [a.split("=", 1)[0] for a in extras if a.startswith("-")]
            words = len(extras) - len(options)
            said = [*options]
            if words:
                said.append(
                    _("{n} more word(s), not repeated here (one may be a key)").format(n=words)
                )
            self.error(_("unrecognized arguments: {said}").format(said=", ".join(said)))
        return ns

    def _print_message(self, message: str, file: Any = None) -> None:
        """--help and --version: argparse ignores a failed write (and falls back to
        stderr when stdout is closed), so `--help > /dev/full` would end in success
        with nothing written. Written and flushed here, a failure is _OutputError."""
        if not message:
            return
        if file is not None and file is not sys.stdout:
            super()._print_message(message, file)
            return
        if sys.stdout is None:
            raise _OutputError(_("standard output is closed"))
        try:
            sys.stdout.write(message)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(exc.strerror or type(exc).__name__) from None


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's own, told the width: left to find it, it imports shutil on every run,
    though help is rarely printed."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_width() - 2)

    # argparse counts characters; a Chinese character takes two columns. These two keep
    # the usage lines aligned and the help within the width in Chinese.
    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any) -> str:
        prefix = _("usage: ") if prefix is None else prefix
        width = _display_width(prefix)
        text = super()._format_usage(usage, actions, groups, " " * width)
        return str(prefix + text[width:])

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.isascii():
            return super()._fill_text(text, width, indent)
        lines = text.splitlines()
        return "\n".join(
            indent + wrapped
            for line in lines
            for wrapped in (_wrap_wide(line, width) if _display_width(line) > width else [line])
        )

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        return _wrap_wide(text, width)


def _seconds(text: str) -> float:
    """A number of seconds, in any form float() reads (1e400 reads as inf: the range is
    checked with the other options). The message does not repeat the value, which may be
    of any length."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("must be a number of seconds")) from None


def _port(text: str) -> int:
    """A port number. int() would take `1_000` or Arabic-Indic digits, and fail on more
    than 4300 digits in Python's own words."""
    if text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(_("must be a port number from 0 (any free port) to 65535"))


def _shortened(text: str) -> str:
    """A message that quotes back a value of absurd length (thousands of digits) keeps
    the start of it: the message stays a readable line."""
    import re

    return re.sub(rf"\S{{{MAX_WORD + 1},}}", lambda m: m.group()[:MAX_WORD] + "…", text)


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap_wide(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken at spaces, after a slash or between wide
    characters."""
    import re

    lines: list[str] = []
    line = ""
    for token in re.findall(r"[!-.0-~]+/?|/|\s+|.", " ".join(text.split())):
        if token.isspace():
            line += " " if line else ""
            continue
        if line and _display_width(line + token) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    return [*lines, line.rstrip()] if line else lines


def _terminal_width() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


def _exit_codes() -> str:
    lines = [_("exit codes:")]
    lines += [f"  {code}  {translate(text)}" for code, text in _EXIT_CODES]
    return "\n".join(lines) + "\n"


def _lang_option(parser: argparse.ArgumentParser) -> None:
    """Shown in every command's help; main() reads it before anything else."""
    parser.add_argument(
        "--lang", choices=LANG_CHOICES, help=_("language of the output (default: from the locale)")
    )


def _use_language(option: str | None) -> None:
    # The language chosen in the app speaks for every command too, after --lang and
    # SNAPTUI_LANG (ui.json is read only when those leave it to the file).
    remembered = None
    if not option and not os.environ.get("SNAPTUI_LANG"):
        from snaptui.preferences import load_language

        remembered = load_language()
    i18n.set_language(i18n.language_from(option, remembered=remembered))
    if i18n.current_language() != i18n.ENGLISH:
        argparse._ = translate  # type: ignore[attr-defined]


def _build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, only that command gets its options (every
    command is still listed): a one-shot `get` does not build `simulate`'s."""
    parser = _Parser(
        prog="snaptui",
        description=_(
            "Volcengine RTC GetSnapshotTask in the terminal. With no command, opens "
            "the app; `snaptui APP_ID ROOM_ID TASK_ID` opens it on that task. The app takes "
            "get's --profile, --endpoint and --region; an App ID spelt like a command goes "
            "after --: `snaptui -- get ROOM_ID TASK_ID`."
        ),
        epilog=_exit_codes(),
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"snaptui {__version__}",
        help=_("show program's version number and exit"),
    )
    _lang_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, add_options) in _COMMANDS.items():
        command = sub.add_parser(
            name, help=translate(help_text), epilog=_exit_codes(), formatter_class=_Formatter
        )
        if only is None or only == name:
            add_options(command)
            _lang_option(command)
    return parser


def _get_options(get: argparse.ArgumentParser) -> None:
    get.description = _(
        "Fetch a snapshot task once and print it. Credentials come from the environment "
        "(VOLCENGINE_ACCESS_KEY/VOLCENGINE_SECRET_KEY[/VOLCENGINE_SESSION_TOKEN] or "
        "VOLC_ACCESSKEY/VOLC_SECRETKEY), else from the OS keyring item of --profile "
        "(see `snaptui login`)."
    )
    get.add_argument("app_id", metavar="APP_ID")
    get.add_argument("room_id", metavar="ROOM_ID")
    get.add_argument("task_id", metavar="TASK_ID", help=_("for an automatic task: the UserId"))
    _add_connection_args(get)
    get.add_argument(
        "--output",
        choices=("tree", "json"),
        help=_("tree on a terminal, json when stdout is not a terminal (default)"),
    )
    get.add_argument(
        "--watch",
        action="store_true",
        help=_(
            "poll until the task ends; one line per status change: its time and status on a "
            "terminal, and as JSON (piped, or --output json) the whole answer on one line "
            "(JSON Lines)"
        ),
    )
    get.add_argument(
        "--interval",
        type=_seconds,
        default=2.0,
        metavar="SECONDS",
        help=_("seconds between polls with --watch (default 2, at least 1)"),
    )
    get.add_argument(
        "--debug",
        action="store_true",
        help=_("log requests, answers and timings to stderr (never a secret)"),
    )


def _login_options(login: argparse.ArgumentParser) -> None:
    login.description = _(
        "Save keys for a profile in the OS keyring (one item holding AK, SK and an optional "
        "session token). The SecretKey is read from a no-echo prompt, or from stdin with "
        "--secret-stdin; never from the command line."
    )
    login.add_argument("--profile", default="default")
    login.add_argument("--access-key", metavar="AK", help=_("AccessKey ID (prompted if absent)"))
    login.add_argument(
        "--secret-stdin",
        action="store_true",
        help=_(
            "read the SecretKey (first line) and an optional session token (second line) from stdin"
        ),
    )
    login.add_argument("--endpoint", help=_("endpoint preset or URL to keep with the profile"))
    login.add_argument("--region", help=_("signing region to keep with the profile"))


def _profile_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--profile", default="default")


def _demo_options(demo: argparse.ArgumentParser) -> None:
    demo.description = _(
        "Start the simulator in-process on a free loopback port with its demo keys and open "
        "the app on it. Demo tasks: AppId demo, RoomId room-1, TaskId task-live, task-ended, "
        "task-failed, task-pending, task-many, user-7, ... With two ids the AppId demo is "
        "implied: `snaptui demo room-1 task-live`. (A real task whose AppId is demo: "
        "`snaptui -- demo ROOM_ID TASK_ID`.)"
    )
    demo.add_argument("ids", nargs="*", metavar="[APP_ID] ROOM_ID TASK_ID")


def _watch_options(watch: argparse.ArgumentParser) -> None:
    from snaptui.watchlist import MAX_LIST_CHARS, MAX_TASKS

    watch.description = _(
        "Open one tab per task listed in FILE (or stdin with -): one `APP_ID ROOM_ID TASK_ID` "
        "or alert link a line; blank lines and lines starting with # are skipped. Bad lines "
        "are reported with their numbers; the good ones open. A list of more than "
        "{chars} characters, or of more than {max} tasks, is refused whole (split it): "
        "one watch opens at most {max} tasks."
    ).format(chars=f"{MAX_LIST_CHARS:,}", max=MAX_TASKS)
    watch.add_argument("file", metavar="FILE", help=_("the list, or - for stdin"))
    _add_app_args(watch)
    watch.add_argument(
        "--demo", action="store_true", help=_("watch on the built-in simulator (no keys needed)")
    )


def _simulate_options(sim: argparse.ArgumentParser) -> None:
    sim.description = _("Serve the simulated endpoint over HTTP until Ctrl-C.")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument(
        "--port", type=_port, default=8000, help=_("default 8000; 0 picks a free port")
    )
    sim.add_argument("--scenario", metavar="FILE", help=_("TOML file of tasks and faults"))
    sim.add_argument("--access-key", metavar="AK", help=_("accept this AccessKey ID"))
    sim.add_argument(
        "--secret-key-stdin",
        action="store_true",
        help=_("read its SecretKey from the first line of stdin (or set {name})").format(
            name=SIMULATOR_SECRET_ENV
        ),
    )
    sim.add_argument(
        "--secret-key",
        metavar="SK",
        help=_("deprecated: any user can read it in the process list; use --secret-key-stdin"),
    )
    sim.add_argument("--region", default="cn-north-1", help=_("signing region to expect"))
    sim.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[:k=v,...]",
        help=_("inject a fault into every answer, e.g. latency:seconds=0.5"),
    )
    sim.add_argument("--verbose", action="store_true", help=_("log every request"))


_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "get": (N_("fetch one task and print it (for scripts)"), _get_options),
    "login": (N_("save an AccessKey/SecretKey in the OS keyring"), _login_options),
    "logout": (N_("delete a profile's keys from the OS keyring"), _profile_option),
    "whoami": (N_("which keys and endpoint a profile would use"), _profile_option),
    "demo": (N_("open the app on the built-in simulator (no keys needed)"), _demo_options),
    "watch": (N_("open the app on every task of a list (a runbook)"), _watch_options),
    "simulate": (N_("serve a local GetSnapshotTask endpoint"), _simulate_options),
}


def _add_app_args(parser: argparse.ArgumentParser) -> None:
    """The app's options: `get`'s, less what only a one-shot call needs."""
    parser.add_argument(
        "--profile", default="default", help=_("settings profile (default: default)")
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help=_("volcengine (default), volcengine-intl, byteplus, or a URL"),
    )
    parser.add_argument("--region", help=_("signing region (default: the endpoint's)"))


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="snaptui",
        usage="snaptui [--profile P] [--endpoint E] [--region R] [APP_ID ROOM_ID TASK_ID]",
        add_help=False,
    )
    parser.add_argument("ids", nargs="*")
    _add_app_args(parser)
    return parser


def _add_connection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile", default="default", help=_("settings profile (default: default)")
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help=_("volcengine (default), volcengine-intl, byteplus, or a URL"),
    )
    parser.add_argument("--region", help=_("signing region (default: the endpoint's)"))
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help=_("give up after this long, retries included (default 10)"),
    )


def run() -> int:
    """The program's entry point (the snaptui command, python -m snaptui): main() with
    the collector paused while the command starts (see snaptui/collector.py)."""
    from snaptui import collector

    collector.pause()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    """Every command ends here: an error is one line on stderr and its exit code, never a
    traceback, whatever went wrong."""
    args = list(sys.argv[1:] if argv is None else argv)
    report = _Reporter(sys.stderr)
    code = _main(args, report)
    try:
        # Here, not at exit: a full disk found by the interpreter's last flush is a
        # message in its words and exit status 120.
        _flush_output()
    except _OutputError as exc:
        return _output_failed(exc, report)
    return code


def _main(args: list[str], report: _Reporter) -> int:
    help_command = _help_command(args)  # where a usage error points
    try:
        # The language first: every message after this, argparse's included, is in it.
        pre = _Parser(prog=help_command, add_help=False, formatter_class=_Formatter)
        _lang_option(pre)
        ns, args = pre.parse_known_args(args)
        _use_language(ns.lang)
        if args and args[0] in COMMANDS:
            try:
                return _run_command(args, report, ns.lang)
            except UsageError as exc:
                raise UsageError(f"{exc}{_command_name_hint(args)}") from None
        if any(a in ("-h", "--help", "--version") for a in args):
            _build_parser().parse_args(args)
        return _open_app(args, ns.lang)
    except UsageError as exc:
        usage = _("Try '{command} --help'.").format(command=help_command)
        report.say(_shortened(f"{exc}\n{usage}"))
        return EXIT_USAGE
    except (_RefusedList, _NoTerminal) as exc:
        report.say(str(exc))
        return EXIT_USAGE
    except SnaptuiError as exc:
        report.error(exc)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except EOFError:
        report.say(_("error: cancelled (end of input)"))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`| head -1`): nothing more to say, and nowhere to say it.
        _discard_output()
        return EXIT_OK
    except _OutputError as exc:
        return _output_failed(exc, report)
    except Exception as exc:  # the last guard: one line, never a traceback
        report.internal(exc)
        return EXIT_INTERNAL


class _OutputError(Exception):
    """The output could not be written (stdout closed, a full disk): what the command
    had to say is lost, but nothing went wrong inside snaptui."""


def _output_failed(exc: _OutputError, report: _Reporter) -> int:
    message = _("cannot write the output: {reason}").format(reason=exc)
    report.say(_("error: {message}").format(message=message))
    _discard_output()
    return EXIT_OUTPUT


def _flush_output() -> None:
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_output()
    except OSError as exc:
        raise _OutputError(exc.strerror or type(exc).__name__) from None


def _discard_output() -> None:
    """What is still buffered for stdout goes nowhere: the interpreter's own flush at
    exit would fail again, and say so in its own words."""
    if sys.stdout is None:
        return
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _help_command(args: list[str]) -> str:
    """`snaptui COMMAND` when the command line names one (only --lang may come first),
    else `snaptui`: each command's usage errors point to its own help."""
    rest = args
    while rest and (rest[0] == "--lang" or rest[0].startswith("--lang=")):
        rest = rest[2:] if rest[0] == "--lang" else rest[1:]
    return f"snaptui {rest[0]}" if rest and rest[0] in COMMANDS else "snaptui"


def _command_name_hint(args: list[str]) -> str:
    """`snaptui get room task`, meant as AppId "get": say how to open that task."""
    import shlex

    from snaptui.safe_text import clean

    # Only `snaptui COMMAND ROOM TASK` as typed: with options in it, the command line is
    # not repeated (a key could be among its words).
    if len(args) != 3 or any(a.startswith("-") for a in args) or args[0] == "demo":
        return ""
    return clean(
        "\n"
        + _("(If {name} is the App ID of the task to open, put -- first: {command})").format(
            name=repr(args[0]), command=f"snaptui -- {shlex.join(args)}"
        ),
        keep_newlines=True,
    )


def _run_command(args: list[str], report: _Reporter, lang: str | None) -> int:
    ns = _build_parser(args[0]).parse_args(args)
    if ns.command in ("get", "whoami") and sys.stdout is None:
        # Said before a request is sent: its answer would have nowhere to go.
        raise _OutputError(_("standard output is closed"))
    if ns.command == "get":
        return _get(ns, report)
    if ns.command == "simulate":
        return _simulate(ns)
    if ns.command in ("login", "logout", "whoami"):
        from snaptui import account

        if ns.command != "whoami":
            return int(getattr(account, ns.command)(ns))
        try:
            return account.whoami(ns)
        except BrokenPipeError:
            raise
        except OSError as exc:  # whoami writes nothing but its output
            raise _OutputError(exc.strerror or type(exc).__name__) from None
    if ns.command == "watch":
        return _watch_list(ns, report, lang)
    from snaptui.simulator import DEMO_APP

    ids = ns.ids
    if len(ids) == 2:  # `snaptui demo room-1 task-live`: the demo app is implied
        ids = [DEMO_APP, *ids]
    if ids and len(ids) != 3:
        raise UsageError("snaptui demo: " + _("expected [APP_ID] ROOM_ID TASK_ID"))
    # An App ID named demo is read as this command: say how to reach the real one.
    note = _(
        "This is the built-in simulator. A real task whose App ID is demo: "
        "snaptui -- demo ROOM_ID TASK_ID"
    )
    return _start_app(
        tasks=[_checked_ids(ids)] if ids else [],
        demo=True,
        notes=[note] if ids else [],
        lang=lang,
        command="snaptui demo",
    )


def _open_app(args: list[str], lang: str | None) -> int:
    ns = _app_parser().parse_args(args)
    if ns.ids and len(ns.ids) != 3:
        if not args[0].startswith("-") and len(ns.ids) < 3:
            message = _(
                "unknown command {name}; use one of {commands}, "
                "or APP_ID ROOM_ID TASK_ID to open the app on a task"
            ).format(name=repr(args[0]), commands=", ".join(COMMANDS))
            raise UsageError(f"snaptui: {message}")
        raise UsageError("snaptui: " + _("expected APP_ID ROOM_ID TASK_ID"))
    tasks = [_checked_ids(ns.ids)] if ns.ids else []
    _check_app_options(ns)
    return _start_app(
        tasks=tasks, profile=ns.profile, endpoint=ns.endpoint, region=ns.region, lang=lang
    )


def _check_app_options(ns: argparse.Namespace) -> None:
    """What the app would otherwise find out only once started: an unknown profile, a bad
    endpoint or region. Each is a usage error, as for `get`."""
    from snaptui.settings import load_existing_profile
    from snaptui.volc.endpoints import resolve_endpoint

    profile = load_existing_profile(ns.profile)
    resolve_endpoint(ns.endpoint or profile.endpoint, ns.region or profile.region)


def _checked_ids(ids: Sequence[str]) -> tuple[str, str, str]:
    from snaptui.volc.ids import ID_FIELDS, validate_id

    for field, value in zip(ID_FIELDS, ids, strict=True):
        try:
            validate_id(field, value)
        except InvalidIdError as exc:
            from snaptui.safe_text import clean

            message = _("invalid {field}: {reason}; nothing was opened")
            message = message.format(field=field, reason=exc.reason)
            raise UsageError(clean(f"snaptui: {message}")) from None
    return ids[0], ids[1], ids[2]


class _RefusedList(SnaptuiError):
    """A watch list refused as a whole (too long, too many tasks): one line and exit 2;
    the command itself was used right, so no pointer to --help."""


def _watch_list(ns: argparse.Namespace, report: _Reporter, lang: str | None) -> int:
    from snaptui.safe_text import clean
    from snaptui.watchlist import MAX_TASKS, parse_watch_list

    shown = _("stdin") if ns.file == "-" else clean(ns.file)
    text = _read_watch_list(ns.file, shown)
    if ns.file == "-":
        _keyboard_from_terminal()
    if not ns.demo:
        _check_app_options(ns)
    tasks, problems = parse_watch_list(text)
    if len(tasks) > MAX_TASKS:
        message = _("{file} lists {n} tasks; one watch opens at most {max}: split the list").format(
            file=shown, n=f"{len(tasks):,}", max=MAX_TASKS
        )
        raise _RefusedList(f"snaptui watch: {message}")
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        report.say(f"snaptui watch: {shown}: {problem}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        report.say(
            "snaptui watch: "
            + ngettext("{n} more bad line not shown", "{n} more bad lines not shown", more).format(
                n=f"{more:,}"
            )
        )
    if not tasks:
        message = _("no task to watch in {file}").format(file=shown)
        raise UsageError(f"snaptui watch: {message}")
    skipped = ngettext(
        "{n} line of {file} skipped: {problems}",
        "{n} lines of {file} skipped: {problems}",
        len(problems),
    )
    notes = [skipped.format(n=len(problems), file=shown, problems="; ".join(problems[:3]))]
    return _start_app(
        tasks=tasks,
        demo=ns.demo,
        profile=ns.profile,
        endpoint=ns.endpoint,
        region=ns.region,
        notes=notes if problems else [],
        lang=lang,
        command="snaptui watch",
    )


def _read_watch_list(name: str, shown: str) -> str:
    """The list from a file or stdin (`-`), refused past MAX_LIST_CHARS characters: an
    endless pipe must not fill the memory, and a list cut short could end in half an id,
    which names another task."""
    from snaptui.watchlist import MAX_LIST_CHARS

    try:
        # fd 0 stays open: the app's keys come from the terminal in its place.
        source = 0 if name == "-" else name
        with open(source, encoding="utf-8", errors="replace", closefd=name != "-") as file:
            text = file.read(MAX_LIST_CHARS + 1)
    except OSError as exc:
        message = _("cannot read {file}: {reason}").format(
            file=shown, reason=exc.strerror or type(exc).__name__
        )
        raise UsageError(f"snaptui watch: {message}") from None
    if len(text) > MAX_LIST_CHARS:
        message = _(
            "{file} is longer than {max} characters; nothing was opened (split the list)"
        ).format(file=shown, max=f"{MAX_LIST_CHARS:,}")
        raise _RefusedList(f"snaptui watch: {message}")
    return text


def _keyboard_from_terminal() -> None:
    """The list came on stdin: the app's keys come from the terminal instead."""
    import os

    if sys.stdin.isatty():
        return
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise UsageError("snaptui watch -: " + _("no terminal to read keys from")) from None
    os.dup2(tty, 0)
    os.close(tty)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115


class _NoTerminal(SnaptuiError):
    """The app was asked for where it cannot be shown or used: one line and exit 2, as
    for any wrong use, but no pointer to --help (the way out is in the line)."""


def _need_terminal(command: str) -> None:
    """The full-screen app only with a terminal on stdin, stdout and stderr (Textual
    draws on stderr and reads keys from stdin). Redirected or piped, a script or a
    pipeline is at the other end, which wants lines, not a screen; it would otherwise get
    escape codes, or wait forever for keys (with stdin at its end, a core spun reading
    nothing and q never came)."""
    streams = (("stdout", sys.stdout), ("stderr", sys.stderr), ("stdin", sys.stdin))
    for name, stream in streams:
        if stream is None or not stream.isatty():
            message = _(
                "the app needs a terminal, and {stream} is not one; in a script, use "
                "`snaptui get APP_ID ROOM_ID TASK_ID` (--watch to follow a task until it ends)"
            )
            raise _NoTerminal(f"{command}: " + message.format(stream=name))


def _start_app(
    *,
    tasks: list[tuple[str, str, str]],
    demo: bool = False,
    profile: str = "default",
    endpoint: str | None = None,
    region: str | None = None,
    notes: list[str] | None = None,
    lang: str | None = None,
    command: str = "snaptui",
) -> int:
    _need_terminal(command)
    from snaptui.tui.launch import AppOptions, run_app

    if not demo:  # the demo has keys of its own
        from snaptui.credentials import from_environment

        found = from_environment()
        if found is not None and found.note:
            notes = [*(notes or []), found.note]
    options = AppOptions(tasks, demo, profile, endpoint, region, notes or [])
    try:
        return run_app(options, lang=lang)
    except UsageError:
        raise
    except SnaptuiError as exc:
        from snaptui.safe_text import clean

        print(clean(f"snaptui: {exc}"), file=sys.stderr)
        return 1
    except Exception as exc:  # the last guard: one line, never a traceback with locals
        message = _("internal error, please report: {name}").format(name=type(exc).__name__)
        print(f"snaptui: {message}", file=sys.stderr)
        return 1


# --- get -------------------------------------------------------------------------


def _get(ns: argparse.Namespace, report: _Reporter) -> int:
    from snaptui import credentials
    from snaptui.settings import load_existing_profile
    from snaptui.volc.endpoints import resolve_endpoint
    from snaptui.volc.ids import ID_FIELDS, validate_id

    report.set_debug(ns.debug)
    for field, value in zip(ID_FIELDS, (ns.app_id, ns.room_id, ns.task_id), strict=True):
        validate_id(field, value)
    if not (math.isfinite(ns.interval) and MIN_INTERVAL <= ns.interval <= MAX_INTERVAL):
        raise UsageError(
            _("--interval must be a number of seconds from {low} to {high}").format(
                low=f"{MIN_INTERVAL:g}", high=f"{MAX_INTERVAL:g}"
            )
        )
    if not (math.isfinite(ns.timeout) and 0 < ns.timeout <= 600):
        raise UsageError(_("--timeout must be more than 0 and at most 600 seconds"))
    profile = load_existing_profile(ns.profile)
    endpoint = resolve_endpoint(ns.endpoint or profile.endpoint, ns.region or profile.region)
    found = credentials.resolve(ns.profile)
    report.credentials = found.credentials
    if found.note:
        report.warn(found.note)
    report.debug(
        _("credentials from {source}, AccessKey {key}").format(
            source=found.source, key=found.credentials.masked_access_key
        )
    )
    report.debug(
        _("endpoint {url} region {region}").format(url=endpoint.url, region=endpoint.region)
    )
    output = ns.output or ("tree" if sys.stdout.isatty() else "json")
    return _get_task(ns, found.credentials, endpoint, output, report)


def _get_task(
    ns: argparse.Namespace,
    creds: Credentials,
    endpoint: Endpoint,
    output: str,
    report: _Reporter,
) -> int:
    from snaptui.volc.blocking import BlockingRtcClient

    trace = report.debug if ns.debug else None
    with BlockingRtcClient(creds, endpoint, timeout=ns.timeout, trace=trace) as client:
        if not ns.watch:
            response = client.get_snapshot_task(ns.app_id, ns.room_id, ns.task_id)
            report.skew(response.clock_skew)
            _print_task(response, output, report)
            return EXIT_OK
        return _watch(client, ns, output, report)


def _print_task(response: TaskResponse, output: str, report: _Reporter) -> None:
    from snaptui.output import colour_enabled, dump_json, render_tree

    if output == "json":
        report.out(dump_json(response.data))
        return
    from snaptui.present import describe

    colour = colour_enabled(sys.stdout)
    report.out(f"RequestId: {response.request_id or _('(none)')}")
    report.out_painted(render_tree(describe(response.task, time.time()), colour=colour))


def _watch(
    client: BlockingRtcClient, ns: argparse.Namespace, output: str, report: _Reporter
) -> int:
    from snaptui import collector
    from snaptui.output import dump_json
    from snaptui.present import outcome, status_text
    from snaptui.volc.errors import TransportError

    collector.resume()  # polls until the task ends: not a one-shot
    last = object()
    failures = 0
    while True:
        try:
            response = client.get_snapshot_task(ns.app_id, ns.room_id, ns.task_id)
        except (TransportError, MalformedResponseError) as exc:
            failures += 1
            if failures >= 5:
                raise
            report.warn(
                _("{error} (attempt {n} of 5; still watching)").format(error=exc, n=failures)
            )
            time.sleep(min(30.0, ns.interval * 2**failures))
            continue
        failures = 0
        report.skew(response.clock_skew)
        task = response.task
        if task.Status != last:
            last = task.Status
            if output == "json":
                report.out(dump_json(response.data, indent=None))
            else:
                stamp = time.strftime("%H:%M:%S")
                line = f"{stamp}  {status_text(task.Status)[0]}"
                if task.Status is not None and task.Status.finished:
                    line += f"  {outcome(task)}"
                report.out(f"{line}  (RequestId {response.request_id})")
        if task.Status is not None and task.Status.finished:
            return EXIT_OK if int(task.Status) == 3 else EXIT_TASK_FAILED
        time.sleep(ns.interval)


# The core's hints for these say what the app does next (retry, refresh slower); a
# command has already retried and stopped by the time it says anything.
_COMMAND_HINTS = {
    "FlowLimitExceeded": N_(
        "Too many requests (limit 60/s per account), even after retrying. Run it again in a moment."
    ),
    "ServiceUnavailableTemp": N_(
        "Service temporarily unavailable, even after retrying. Run it again in a moment."
    ),
    "FailToConnect": N_(
        "The service could not reach its backend, even after retrying. Run it again in a moment."
    ),
}


def _command_hint(code: str) -> str:
    text = _COMMAND_HINTS.get(code) or _COMMAND_HINTS.get(code.split(".", 1)[0])
    return translate(text) if text else ""


def _command_line_text(exc: SnaptuiError) -> str:
    """An error as a command says it: without the way out only the app offers (keys for
    this session only)."""
    from snaptui.credentials import KeyringUnavailable

    return exc.plain if isinstance(exc, KeyringUnavailable) else str(exc)


class _Reporter:
    """All output of a command goes through here: our keys redacted, outside text made
    control-safe. The one redactor at the exits: stdout, stderr and --debug lines."""

    def __init__(self, err: TextIO | None) -> None:
        self.err = err
        self.credentials: Credentials | None = None
        self._debug = False
        self._skew_warned = False

    def set_debug(self, on: bool) -> None:
        self._debug = on

    def _redact(self, text: str) -> str:
        return self.credentials.redact(text) if self.credentials is not None else text

    def _safe(self, text: str) -> str:
        from snaptui.safe_text import clean

        return clean(self._redact(text), keep_newlines=True)

    def _write(self, stream: TextIO, text: str) -> None:
        stream.flush()
        stream.buffer.write((text + "\n").encode("utf-8", "backslashreplace"))
        stream.flush()

    def _out(self, text: str) -> None:
        """A failed write is _OutputError, except a reader gone away (BrokenPipeError),
        which ends the command quietly."""
        if sys.stdout is None:  # started with stdout closed (`>&-`)
            raise _OutputError(_("standard output is closed"))
        try:
            self._write(sys.stdout, text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(exc.strerror or type(exc).__name__) from None

    def out(self, text: str) -> None:
        self._out(self._safe(text))

    def out_painted(self, text: str) -> None:
        """Text whose outside parts were cleaned before our colours were added: redacted
        only, so the colours stay colours."""
        self._out(self._redact(text))

    def say(self, text: str) -> None:
        if self.err is None:  # stderr closed: nowhere to say anything
            return
        with contextlib.suppress(OSError):  # a full disk under stderr, likewise
            self._write(self.err, self._safe(text))

    def debug(self, text: str) -> None:
        if self._debug:
            self.say(_("debug: {text}").format(text=text))

    def warn(self, text: str) -> None:
        self.say(_("warning: {text}").format(text=text))

    def skew(self, skew: float | None) -> None:
        from snaptui.volc.errors import describe_skew
        from snaptui.volc.exchange import SKEW_WARNING_SECONDS

        if skew is not None and abs(skew) > SKEW_WARNING_SECONDS and not self._skew_warned:
            self._skew_warned = True
            self.warn(
                _("{skew}; requests may be refused (InvalidTimestamp)").format(
                    skew=describe_skew(skew)
                )
            )

    def error(self, exc: SnaptuiError) -> None:
        error = _("error: {message}")
        lines = [_shortened(error.format(message=_command_line_text(exc)))]
        if isinstance(exc, InvalidIdError):
            invalid = _("invalid {field}: {reason}").format(field=exc.field, reason=exc.reason)
            lines = [error.format(message=invalid), _("nothing was sent")]
        elif isinstance(exc, ApiError):
            code_n = f", CodeN {exc.code_n}" if exc.code_n is not None else ""
            refused = _("the API refused the request: {message}")
            lines = [
                error.format(message=refused.format(message=exc.message or exc.code)),
                f"  Code: {exc.code} (HTTP {exc.http_status}{code_n})",
                f"  RequestId: {exc.request_id or _('(none)')}",
            ]
            hint = _command_hint(exc.code) or exc.hint
            if hint:
                lines.append("  " + _("Hint: {hint}").format(hint=hint))
        elif isinstance(exc, MalformedResponseError) and exc.request_id:
            lines.append(f"  RequestId: {exc.request_id}")
        for line in lines:
            self.say(line)

    def internal(self, exc: BaseException) -> None:
        where = ""
        if self._debug and exc.__traceback__ is not None:
            tb = exc.__traceback__
            while tb.tb_next is not None:
                tb = tb.tb_next
            where = f" at {tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
        message = _("internal error, please report: {name}").format(name=type(exc).__name__)
        self.say(_("error: {message}").format(message=message + where))


# --- simulate --------------------------------------------------------------------


def _simulator_secret(ns: argparse.Namespace) -> str | None:
    """The SecretKey the simulator accepts: from stdin or the environment, which other
    users cannot read, unlike the command line (`ps`, /proc/PID/cmdline)."""
    if ns.secret_key_stdin:
        if ns.secret_key:
            raise UsageError(_("--secret-key-stdin and --secret-key cannot go together"))
        if sys.stdin.isatty():  # typed, not piped: not echoed either
            import getpass

            secret = getpass.getpass(_("SecretKey (not shown): ")).strip()
        else:
            secret = sys.stdin.readline(4096).strip()
        if not secret:
            raise UsageError(_("--secret-key-stdin: no SecretKey on the first line of stdin"))
        return secret
    if ns.secret_key:
        warning = _(
            "warning: --secret-key shows the secret to every user of this machine (ps); "
            "pipe it to --secret-key-stdin or set {name} instead"
        )
        print(warning.format(name=SIMULATOR_SECRET_ENV), file=sys.stderr)
        return str(ns.secret_key)
    return os.environ.get(SIMULATOR_SECRET_ENV) or None


def _simulate(ns: argparse.Namespace) -> int:
    import shlex
    from pathlib import Path

    from snaptui.safe_text import clean
    from snaptui.simulator import DEMO_ACCESS_KEY, DEMO_SECRET_KEY, Account, Gateway, Simulator
    from snaptui.simulator.faults import parse_fault
    from snaptui.simulator.tasks import ScenarioError, demo_tasks, example_task, load_scenario
    from snaptui.volc.endpoints import check_region
    from snaptui.volc.secret import Secret

    try:
        check_region(ns.region)  # the region clients must sign for: one they can name
        faults = [parse_fault(text, "--fault") for text in ns.fault]
        tasks = None
        if ns.scenario:
            tasks, scenario_faults, keep_demo = load_scenario(Path(ns.scenario))
            faults += scenario_faults
            if keep_demo:
                tasks = demo_tasks() + tasks
        secret = _simulator_secret(ns)
        if ns.access_key and not secret:
            raise UsageError(
                _(
                    "--access-key needs its SecretKey: pipe it to --secret-key-stdin or set {name}"
                ).format(name=SIMULATOR_SECRET_ENV)
            )
        if secret and not ns.access_key:
            raise UsageError(_("a SecretKey was given without its --access-key"))
        access_key = ns.access_key or DEMO_ACCESS_KEY
        secret = secret or DEMO_SECRET_KEY
        gateway = Gateway(
            tasks=tasks,
            accounts={access_key: Account(Secret(secret))},
            region=ns.region,
            faults=faults,
        )
        sim = Simulator(gateway, host=ns.host, port=ns.port, verbose=ns.verbose)
    except (ScenarioError, ValueError) as exc:
        print(clean(_shortened(_("error: {message}").format(message=exc))), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        message = _("cannot listen on {address}: {reason}").format(
            address=f"{ns.host}:{ns.port}", reason=exc.strerror or exc
        )
        print(clean(_shortened(_("error: {message}").format(message=message))), file=sys.stderr)
        return EXIT_NETWORK
    shown_secret = secret if secret == DEMO_SECRET_KEY else _("(as given)")
    listening = _("snaptui simulator listening on {url}  (region {region})")
    print(clean(listening.format(url=sim.url, region=ns.region)))
    print(clean(f"  AccessKey {access_key}   SecretKey {shown_secret}"))
    example = example_task(gateway.tasks.values())
    if not gateway.tasks:
        print("  " + _("no tasks: the scenario defines none and leaves the demo out"))
    elif example is None:
        print("  " + _("no task can be queried: every one started more than 72 h ago"))
    else:
        region = f" --region {shlex.quote(ns.region)}" if ns.region != "cn-north-1" else ""
        command = shlex.join(["snaptui", "get", "--endpoint", sim.url, *example.key])
        keys = f"VOLC_ACCESSKEY={shlex.quote(access_key)} VOLC_SECRETKEY=..."
        print(clean("  " + _("try: {command}").format(command=f"{keys} {command}{region}")))
    served = sorted(gateway.tasks)
    names = ", ".join("/".join(k) for k in served[:SHOWN_TASKS])
    if len(served) > SHOWN_TASKS:  # a scenario of 200,000 tasks is not a line to print
        names += ", " + _("and {n} more").format(n=f"{len(served) - SHOWN_TASKS:,}")
    print(clean("  " + _("tasks: {names}").format(names=names)))
    sys.stdout.flush()
    from snaptui import collector

    collector.resume()  # serves until stopped
    with contextlib.suppress(KeyboardInterrupt):
        sim.serve_forever()
    return EXIT_OK
