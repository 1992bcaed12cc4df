"""The command line: typer commands that parse options, call `app`, print with rich. One error boundary in `main`."""

from __future__ import annotations

import os
import sys
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz import __version__

app = typer.Typer(
    name="djxz",
    help="djxz（党建协作）：用 git 中的 YAML 文件管理基层党建工作联建协作区。",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"djxz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option("--version", "-V", help="显示版本号并退出", callback=_version, is_eager=True)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出现内部错误时显示完整的调用栈")] = False,
) -> None:
    """djxz（党建协作）：用 git 中的 YAML 文件管理基层党建工作联建协作区。"""
    if debug:
        os.environ["DJXZ_DEBUG"] = "1"


def _register() -> None:
    from djxz.cli import check_cmd

    app.command("check")(check_cmd.check)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map every exception to a Chinese message and an exit code (1 data, 2 usage, 130 Ctrl-C, 3 bug)."""
    from djxz.errors import DjxzError

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    command = typer.main.get_command(app)
    try:
        code = command.main(args=args, prog_name="djxz", standalone_mode=False)
    except DjxzError as exc:
        _err(f"错误：{exc}")
        code = exc.exit_code
    except typer._click.exceptions.UsageError as exc:  # noqa: SLF001 - typer vendors click
        _err(f"用法错误：{exc.format_message()}")
        if exc.ctx is not None:
            _err(f"运行 {exc.ctx.command_path} --help 查看用法")
        code = 2
    except typer._click.exceptions.ClickException as exc:
        _err(f"错误：{exc.format_message()}")
        code = exc.exit_code
    except (KeyboardInterrupt, typer._click.exceptions.Abort):
        _err("已中断，没有写入任何内容。")
        code = 130
    except typer.Exit as exc:
        code = exc.exit_code
    except Exception:  # the last boundary: a bug in djxz, never a traceback unless asked for
        if debug or os.environ.get("DJXZ_DEBUG"):
            raise
        _err("内部错误：djxz 遇到了意外情况。请加 --debug 重新运行，并把输出报告给维护者。")
        code = 3
    sys.exit(code or 0)


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")
