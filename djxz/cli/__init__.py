"""The command line: typer commands that parse options, call `app`, print with rich. One error boundary in `main`."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz import __version__
from djxz.cli.zh import ZhCommand, ZhGroup, usage_message
from djxz.errors import DjxzError, describe_os_error

app = typer.Typer(
    name="djxz",
    help="djxz（党建协作）：用 git 中的 YAML 文件管理基层党建工作联建协作区。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help, whose every word djxz.cli.zh puts in Chinese
    cls=ZhGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from djxz.cli.output import echo  # terminal output set-up: only for --version

        echo(f"djxz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", "-V", help="显示版本号并退出", callback=_version, is_eager=True)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出现内部错误时显示完整的调用栈")] = False,
) -> None:
    """djxz（党建协作）：用 git 中的 YAML 文件管理基层党建工作联建协作区。"""
    if debug:
        os.environ["DJXZ_DEBUG"] = "1"


# name -> (module in djxz.cli, attribute): a command's module is imported only when that command runs or help is shown.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check_cmd", "check"),
    "who": ("who_cmd", "who"),
    "status": ("status_cmd", "status"),
    "brief": ("brief_cmd", "brief"),
    "bulletin": ("brief_cmd", "bulletin"),
    "rotate": ("rotate_cmd", "rotate"),
    "calendar": ("calendar_cmd", "calendar"),
    "diff": ("diff_cmd", "diff"),
    "log": ("log_cmd", "log"),
    "new": ("new_cmd", "app"),
    "init": ("init_cmd", "init"),
    "import": ("import_cmd", "import_"),
    "export": ("export_cmd", "export"),
    "lists": ("lists_cmd", "lists"),
    "match": ("match_cmd", "match"),
    "schema": ("schema_cmd", "schema"),
    "city": ("city_cmd", "city"),
}
_registered: set[str] = set()


def register(names=None) -> typer.Typer:
    """Add the named commands (all when None) to `app`, in COMMANDS order, once each; return `app`."""
    import importlib

    for name, (module, attr) in COMMANDS.items():
        if name in _registered or (names is not None and name not in names):
            continue
        target = getattr(importlib.import_module(f"djxz.cli.{module}"), attr)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name)
        else:
            app.command(name, cls=ZhCommand)(target)
        _registered.add(name)
    return app


def _requested_command(args: list[str]) -> str | None:
    """The command named on the command line, when it is one of ours (global options are flags only)."""
    for arg in args:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map every exception to a Chinese message and an exit code (1 data, 2 usage, 130 Ctrl-C, 3 bug)."""
    from djxz.cli import (  # output and the Chinese catalogue: installed when the CLI runs, not when it is imported
        output,
        zh,
    )

    output.install()
    language = os.environ.get("LANGUAGE")
    zh.install_catalogue()
    try:
        _run(args_of(argv))
    finally:  # run in-process (tests, embedding): leave the caller's environment as it was
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


def args_of(argv: list[str] | None) -> list[str]:
    return sys.argv[1:] if argv is None else argv


def _run(args: list[str]) -> None:
    debug = "--debug" in args
    wanted = _requested_command(args)
    register({wanted} if wanted else None)
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="djxz", standalone_mode=False)
        if code == 130:  # typer turns Ctrl-C into Exit(130)
            _err("已中断。")
        sys.stdout.flush()  # here, so a reader that went away (`djxz who | head -0`) is seen by the handler below
    except BrokenPipeError:
        _stdout_gone()
        code = 1
    except DjxzError as exc:
        _err(f"错误：{exc}")
        code = exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        _err("已中断。")
        code = 130
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.TyperException as exc:  # click's usage errors (typer's public base class for them)
        code = _click_error(exc)
    except OSError as exc:  # disk full, a read-only folder, a file taken away: say which file and why, not "internal"
    
        if debug or os.environ.get("DJXZ_DEBUG"):
            raise
        _err(f"错误：{describe_os_error(exc)}")
        code = 1
    except Exception:  # the last boundary: a bug in djxz, never a traceback unless asked for
        if debug or os.environ.get("DJXZ_DEBUG"):
            raise
        _err("内部错误：djxz 遇到了意外情况。请加 --debug 重新运行，并把输出报告给维护者。")
        code = 3
    sys.exit(code or 0)


def _click_error(exc) -> int:
    """A click exception: the help it already printed (no arguments), or a Chinese usage error (exit 2)."""
    kinds = {cls.__name__ for cls in type(exc).__mro__}
    if "NoArgsIsHelpError" in kinds:  # a group run without a command: its help, which is the exception's message
        from djxz.cli.output import echo  # terminal output set-up: only once there is something to say

        echo(exc.format_message())
        return 0
    if "UsageError" in kinds:
        _err(f"用法错误：{usage_message(exc)}")
        ctx = getattr(exc, "ctx", None)
        if ctx is not None:
            _err(f"运行 {ctx.command_path} --help 查看用法")
        return 2
    if "FileError" in kinds:
        _err(f"错误：无法打开文件 {getattr(exc, 'ui_filename', '')}")
        return 1
    _err("错误：命令没有完成")
    return int(getattr(exc, "exit_code", 1) or 1)


def _stdout_gone() -> None:
    """The reader of our output closed the pipe: stop quietly, as the Python docs advise for SIGPIPE (point stdout at
    devnull so the interpreter's last flush does not complain, exit 1 as Python itself does on EPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _err(message: str) -> None:
    from djxz.cli.output import echo
    from djxz.escape import terminal  # light (re only); errors quote record text, which must not drive the terminal

    echo(terminal(message, keep_newlines=True), err=True)
