"""Click and typer in Chinese, through their documented hooks.

- typer's own words ("Options", "default: …", "No such command …") go through `gettext`: `install_catalogue` binds the
  default gettext domain to djxz's Chinese catalogue (`djxz/locale/zh_CN/LC_MESSAGES/messages.mo`, built from
  `CATALOGUE` by `tools/build_locale.py`).
- Help screens: `ZhContext.formatter_class` writes `用法：`; `ZhCommand`/`ZhGroup` give the help option, the
  option metavars and the usage metavars Chinese names.
- Usage errors: `usage_message(exc)` words a click exception in Chinese from its type and attributes (the option, the
  parameter and its type), never from its English text.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

import typer
from typer.core import TyperCommand, TyperGroup

from djxz.errors import UserError

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"  # the domain `gettext.gettext` reads, which typer uses for its own words

# typer's gettext message ids -> Chinese (the source of messages.mo).
CATALOGUE = {
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（运行时确定）",
    "Missing command.": "缺少子命令。",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "Aborted!": "已中断。",
}

# click's parameter type names -> how a value of that type is written, for help metavars and error messages.
TYPE_WORDS = {
    "text": ("文本", "应为一段文本"),
    "str": ("文本", "应为一段文本"),
    "integer": ("整数", "应为整数，如 2025"),
    "int": ("整数", "应为整数，如 2025"),
    "integer range": ("整数", "应为整数"),
    "int range": ("整数", "应为整数"),
    "float": ("数字", "应为数字"),
    "float range": ("数字", "应为数字"),
    "boolean": ("是否", "应为 true 或 false"),
    "path": ("路径", "应为一个存在且可用的路径"),
    "file": ("文件", "应为一个可打开的文件"),
    "directory": ("目录", "应为一个目录"),
    "choice": ("选项值", "不在可选值之中"),
    "datetime": ("日期", "应为 YYYY-MM-DD 格式的日期"),
    "uuid": ("编号", "应为 UUID"),
}
HELP_TEXT = "显示此帮助并退出"


def install_catalogue() -> None:
    """Route typer's gettext lookups to the Chinese catalogue, whatever the user's locale says."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    os.environ["LANGUAGE"] = "zh_CN"  # gettext's first choice; djxz speaks Chinese only (vcs runs git with its own env)


class ZhFormatter(typer.Context.formatter_class):  # type: ignore[misc,name-defined]
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)


class ZhContext(typer.Context):
    formatter_class = ZhFormatter


def _localise_params(command) -> None:
    for param in command.params:
        if getattr(param, "param_type_name", "") == "option" and param.metavar is None and not getattr(param, "is_flag", False):
            word = TYPE_WORDS.get(getattr(param.type, "name", ""), ("值", ""))[0]
            param.metavar = word
        elif getattr(param, "param_type_name", "") == "argument" and param.metavar is None:
            param.metavar = _argument_word(param)
        if param.name == "install_completion":
            param.help = "为当前 shell 安装命令补全"
        elif param.name == "show_completion":
            param.help = "显示当前 shell 的补全脚本，可复制或自行安装"


def _argument_word(param) -> str:
    word = TYPE_WORDS.get(getattr(param.type, "name", ""), ("参数", ""))[0]
    word = {"文本": "参数"}.get(word, word)
    word = f"[{word}]" if not param.required else word
    return word + ("..." if param.nargs == -1 else "")


class _Zh:
    context_class = ZhContext

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def get_params(self, ctx):
        params = super().get_params(ctx)  # type: ignore[misc]
        _localise_params(self)
        return params


class ZhCommand(_Zh, TyperCommand):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"

    def parse_args(self, ctx, args):
        """Extra arguments are reported in Chinese here, before click would in English."""
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if ctx.args and not allowed and not ctx.resilient_parsing:
            raise UserError(f"多余的参数：{' '.join(ctx.args)}。运行 {ctx.command_path} --help 查看用法")
        return rest


class ZhGroup(_Zh, TyperGroup):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = "[选项]"
        self.subcommand_metavar = "命令 [参数]..."


def _hint(exc) -> str:
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return f"参数 {param.metavar or param.name}"
    return "选项 " + " / ".join(param.opts)


def _kinds(exc) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def usage_message(exc) -> str:
    """A click usage error in Chinese, from its type and attributes."""
    kinds = _kinds(exc)
    if "NoSuchOption" in kinds:
        text = f"没有这个选项：{exc.option_name}"
        if exc.possibilities:
            text += f"（你是不是想用：{'、'.join(sorted(exc.possibilities))}）"
        return text
    if "MissingParameter" in kinds:
        param = exc.param
        what = _hint(exc) or "参数"
        text = f"缺少{what}"
        choices = getattr(getattr(param, "type", None), "choices", None)
        if choices:
            text += f"（可选：{'、'.join(map(str, choices))}）"
        return text
    if "BadParameter" in kinds:
        if _has_chinese(exc.message):  # raised by djxz itself with a Chinese message
            return f"{_hint(exc)} 的值无效：{exc.message}" if _hint(exc) else exc.message
        param = exc.param
        type_ = getattr(param, "type", None)
        name = getattr(type_, "name", "")
        reason = TYPE_WORDS.get(name, ("", "值不合要求"))[1]
        low, high = getattr(type_, "min", None), getattr(type_, "max", None)
        if low is not None or high is not None:
            reason += f"，范围 {'' if low is None else low} 至 {'' if high is None else high}"
        choices = getattr(type_, "choices", None)
        if choices:
            reason = f"只能是 {'、'.join(map(str, choices))}"
        return f"{_hint(exc) or '参数'} 的值无效：{reason}"
    if "BadOptionUsage" in kinds:
        option = _find_option(exc)
        if option is not None and getattr(option, "is_flag", False):
            return f"选项 {exc.option_name} 是开关，不接受值"
        return f"选项 {exc.option_name} 需要一个值"
    if "BadArgumentUsage" in kinds:
        return "参数的个数不对"
    message = exc.format_message()
    return message if _has_chinese(message) else "命令行用法有误"


def _find_option(exc):
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return None
    for param in ctx.command.params:
        if exc.option_name in getattr(param, "opts", ()) + tuple(getattr(param, "secondary_opts", ())):
            return param
    return None
