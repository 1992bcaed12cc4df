"""Guided entry for `djxz new`: one question at a time, each answer checked at once; on a non-terminal, one usage
error listing every missing option instead of questions."""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import Callable, Iterable, TypeVar

from djxz.cli.output import echo
from djxz.cli.common import parse_date_option
from djxz.errors import UserError

T = TypeVar("T")


def interactive() -> bool:
    """Ask only when a person is at a terminal: a script or CI job gets an error naming what is missing instead."""
    return sys.stdin.isatty()


def _terminal_prompt(question: str, default: str | None) -> str:
    import typer

    return typer.prompt(question, default=default or "", show_default=bool(default))


def split_items(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,，、;；]+", text.strip()) if p]


class Asker:
    """Collects the values still missing: asks for each on a terminal (re-asking until the answer is valid), or
    lists them for one usage error. `read(question, default)` is the prompt; tests drive it with scripted answers."""

    def __init__(self, ask: bool | None = None, read: Callable[[str, str | None], str] | None = None) -> None:
        self.ask = interactive() if ask is None else ask
        self.read = read or _terminal_prompt
        self.missing: list[str] = []

    def value(self, given: str | None, option: str, title: str, parse: Callable[[str], T],
              default: str | None = None, required: bool = True) -> T | None:
        """`given` parsed (a bad option value is a usage error), else the answer to `title`, asked until it parses."""
        if given is not None and str(given).strip():
            return parse(str(given).strip())
        if not self.ask:
            if required:  # the question's name without its explanation: --host（主办单位）
                self.missing.append(f"{option}（{title.split('（')[0]}）")
            return None
        while True:
            answer = self.read(title if required else f"{title}（可不填，直接回车跳过）", default).strip()
            if not answer:
                if not required:
                    return None
                echo("这一项必须填写。", err=True)
                continue
            try:
                return parse(answer)
            except UserError as exc:
                echo(f"{exc}，请重新输入。", err=True)

    def text(self, given: str | None, option: str, title: str, default: str | None = None) -> str | None:
        return self.value(given, option, title, lambda s: s, default)

    def choice(self, given: str | None, option: str, title: str, choices: Iterable[str]) -> str | None:
        choices = tuple(choices)
        menu = "  ".join(f"{i}.{c}" for i, c in enumerate(choices, 1))

        def parse(answer: str) -> str:
            if re.fullmatch(r"[0-9]{1,4}", answer) and 1 <= int(answer) <= len(choices):
                return choices[int(answer) - 1]
            if answer in choices:
                return answer
            raise UserError(f"{option} 只能是 {'、'.join(choices)}（或编号 1 至 {len(choices)}），不能是“{answer}”")

        return self.value(given, option, f"{title}（{menu}）" if self.ask else title, parse)

    def finish(self) -> None:
        if self.missing:
            raise UserError("缺少必填项：" + "、".join(self.missing) + "。不在终端中运行时不会提问，请用选项给出；没有写入任何文件")


def date_parser(option: str, earliest: dt.date, latest: dt.date) -> Callable[[str], dt.date]:
    def parse(text: str) -> dt.date:
        day = parse_date_option(text, option)  # a valid date in the range djxz supports (2000–2199), or a usage error
        if not earliest <= day <= latest:
            raise UserError(f"{option} 的日期 {day} 不在 {earliest} 至 {latest} 之间")
        return day

    return parse


def units_parser(option: str, names: dict[str, str], strict: bool = True) -> Callable[[str], list[str]]:
    """Unit ids from ids, full names or short names (`names`: each of them -> id), several split by 、 , or spaces.

    Not `strict` (values given as options): an unknown one is kept, for the zone check to name it with a suggestion."""
    def parse(text: str) -> list[str]:
        ids, unknown = [], []
        for item in split_items(text):
            uid = names.get(item)
            (ids if uid or not strict else unknown).append(uid or item)
        if unknown:
            raise UserError(f"{option}：没有这个单位：{'、'.join(unknown)}（可写单位编号、全称或简称）")
        return ids

    return parse


def count_parser(option: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise UserError(f"{option} 应为人数（非负整数），不能是“{text}”")
        return int(text)

    return parse
