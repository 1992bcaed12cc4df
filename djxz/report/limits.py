"""What a template may cost: time, loop and call steps, the size of any value it builds and of what it writes.

A template can come from a pull request. Jinja's sandbox already keeps it away from files, modules and Python's
insides; these limits keep it from hanging djxz or eating the machine's memory: a render that runs too long, loops or
calls too often, builds a huge string or list, or writes too much stops with a RenderLimitError that names the limit.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import signal
import threading
import unicodedata
from typing import Any

from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

RENDER_SECONDS = 60.0  # one document part, wall time; $DJXZ_RENDER_SECONDS overrides (tests use a short one)
MAX_RANGE = 10_000  # items of one range()
MAX_STEPS = 2_000_000  # range() items and calls, in all, in one document
MAX_VALUE = 1_000_000  # characters or items of one value a template builds, and any size it passes (a width, a count)
MAX_OUTPUT = 50_000_000  # characters one template part writes
# A width or precision of 100000 or more in a format string. Python's format() also reads non-ASCII decimal digits
# ('{:１００００００}'), so the text is looked at with every decimal digit made ASCII first.
_BIG_FORMAT = re.compile(r"[%{:.][^0-9]{0,3}[0-9]{6,}")
_UNNEEDED_GLOBALS = ("lipsum", "cycler", "joiner", "namespace")  # no layout needs them; namespace lets a loop grow a value


class RenderLimitError(SecurityError):
    """A template went over one of the limits above (a SecurityError, so every sandbox refusal is handled alike)."""


def render_seconds() -> float:
    try:
        return float(os.environ.get("DJXZ_RENDER_SECONDS", RENDER_SECONDS))
    except ValueError:
        return RENDER_SECONDS


class _BoundedConcat(CodeGenerator):
    """`a ~ b ~ c` compiles to a call that measures the pieces before joining them: doubling a string with `~` in a
    chain of `{% set %}` would otherwise reach gigabytes without any call or operator to stop it."""

    def visit_Concat(self, node, frame) -> None:  # type: ignore[override]
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("), context.eval_ctx.autoescape)")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with a budget. Every call, range() and arithmetic a template does goes through here."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedConcat

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = 0
        self._rendering = False
        self.globals["range"] = self._range
        for name in _UNNEEDED_GLOBALS:
            self.globals.pop(name, None)
        self.filters = {name: _bounded_filter(self, name, f) for name, f in self.filters.items()}

    def compile(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        """Python cannot compile more than 20 nested blocks, nor parse an expression nested thousands deep: a template
        that asks for either is refused here, like any other template error, instead of crashing djxz."""
        try:
            return super().compile(*args, **kwargs)
        except (SyntaxError, RecursionError, MemoryError) as exc:
            reason = "循环、条件或括号嵌套过深" if not isinstance(exc, MemoryError) else "模板过大"
            raise RenderLimitError(f"模板{reason}，无法编译") from None

    # -- the budget --------------------------------------------------------------------------------------------------

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > MAX_STEPS:
            raise RenderLimitError(f"循环和调用超过 {MAX_STEPS} 次")

    def _range(self, *args: int) -> range:
        for a in args:
            if not isinstance(a, int):
                raise TypeError(f"range() 的参数应当是整数，这里是 {a!r}")
        rng = range(*args)
        if len(rng) > MAX_RANGE:
            raise RenderLimitError(f"range() 最多 {MAX_RANGE} 项，这里有 {len(rng)} 项")
        self.step(len(rng))
        return rng

    def bounded_concat(self, parts: tuple, autoescape: bool) -> str:
        from markupsafe import Markup, escape

        pieces = [str(escape(p)) if autoescape else str(p) for p in parts]
        if sum(map(len, pieces)) > MAX_VALUE:
            raise RenderLimitError(f"拼接得到的内容超过 {MAX_VALUE} 个字符")
        return Markup("".join(pieces)) if autoescape else "".join(pieces)

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        __self.step()
        for value in (*args, *kwargs.values()):
            _check_size(value)
            _check_count(value, "range()" if __obj == __self._range else getattr(__obj, "__name__", "调用"))
        if isinstance(getattr(__obj, "__self__", None), str):  # a str method: measure what it would build
            _estimate_str_method(__obj.__self__, __obj.__name__, args, kwargs)
        if getattr(__obj, "__name__", "") in ("format", "format_map") and isinstance(getattr(__obj, "__self__", None), str):
            _check_format(__obj.__self__)
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 1000:
                raise RenderLimitError(f"幂运算的指数 {right} 过大")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_VALUE:
                    raise RenderLimitError(f"重复得到的内容超过 {MAX_VALUE} 个字符或项")
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > MAX_VALUE:
                raise RenderLimitError(f"拼接得到的内容超过 {MAX_VALUE} 个字符或项")
        return _check_size(super().call_binop(context, operator, left, right))

    # -- the whole render: time and output ---------------------------------------------------------------------------

    def concat(self, pieces) -> str:  # type: ignore[override]
        """Jinja joins a template's output here, and runs the template while doing so: the place to time it and to stop
        it writing without end, before the pieces are put together. A macro's body comes here too: only the outermost
        join (the template itself) keeps the clock, and turns running out of stack or memory into a refusal."""
        if self._rendering:
            return _joined(pieces)
        self._rendering = True
        try:
            with deadline(render_seconds()):
                return _joined(pieces)
        except RecursionError:
            raise RenderLimitError("模板的宏递归过深") from None
        except MemoryError:
            raise RenderLimitError("模板用尽了内存") from None
        finally:
            self._rendering = False


def _joined(pieces) -> str:
    out: list[str] = []
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > MAX_OUTPUT:
            raise RenderLimitError(f"输出超过 {MAX_OUTPUT} 个字符")
        out.append(piece)
    return "".join(out)


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_VALUE:
        raise RenderLimitError(f"得到的内容超过 {MAX_VALUE} 个字符或项")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**100:
        raise RenderLimitError("数值过大")
    return value


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if not c.isascii() and unicodedata.decimal(c, None) is not None else c
                   for c in text)


def _check_count(value: Any, name: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
        raise RenderLimitError(f"{name} 的参数 {value} 过大")


def _joined_size(items: Any, sep: str) -> int:
    """What `sep.join(items)` would hold, counted item by item and stopped as soon as it is over the limit."""
    size = 0
    for i, item in enumerate(items):
        size += len(str(item)) + (len(sep) if i else 0)
        if size > MAX_VALUE:
            break
    return size


def _replaced_size(text: str, old: str, new: str, count: int = -1) -> int:
    hits = (len(text) + 1) if old == "" else text.count(old)
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


def _refuse_if_over(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise RenderLimitError(f"{what}得到的内容将超过 {MAX_VALUE} 个字符，已在生成之前停止")


def _estimate_str_method(text: str, name: str, args: tuple, kwargs: dict) -> None:
    """Refuse a str method call whose result would be over the limit, before Python builds it."""
    if name == "join" and args and isinstance(args[0], (list, tuple, range, str, dict)):
        _refuse_if_over(_joined_size(args[0], text), "join ")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        _refuse_if_over(_replaced_size(text, args[0], args[1], args[2] if len(args) > 2 and isinstance(args[2], int) else -1),
                        "replace ")
    elif name == "expandtabs":
        width = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(width, int):
            _refuse_if_over(len(text) + text.count("\t") * width, "expandtabs ")


def _check_format(text: str) -> None:
    if _BIG_FORMAT.search(_ascii_digits(text)):
        raise RenderLimitError("格式字符串中的宽度或精度过大")


def _bounded_filter(env: LimitedSandbox, name: str, func):
    """A filter that refuses sizes (a width, a count, a value) over the limit, and results over it."""

    @functools.wraps(func)  # keeps Jinja's pass_context / pass_environment marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        env.step()
        for value in (*args, *kwargs.values()):
            _check_size(value)
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
                raise RenderLimitError(f"过滤器 {name} 的参数 {value} 过大")
        if name == "format" and args and isinstance(args[0], str):
            _check_format(args[0])
        args = _filter_estimate(name, args, kwargs)
        return _check_size(func(*args, **kwargs))

    return bounded


def _filter_estimate(name: str, args: tuple, kwargs: dict) -> tuple:
    """Refuse `join`, `replace` and `indent` whose result would be over the limit, before it is built. Returns the
    arguments to call the filter with (a one-shot iterable given to `join` is measured as a list, then passed on)."""
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    skip = 1 if args and isinstance(args[0], (EvalContext, Context)) else 0
    data = list(args[skip:])
    if not data:
        return args
    value = data[0]
    if name == "join":
        sep = data[1] if len(data) > 1 else kwargs.get("d", "")
        if not isinstance(value, (str, list, tuple, dict)) and hasattr(value, "__iter__"):
            value = list(itertools.islice(value, MAX_VALUE + 1))
            _check_size(value)
            data[0] = value
        if kwargs.get("attribute") is None and len(data) < 3 and isinstance(sep, str):
            _refuse_if_over(_joined_size(value, sep), "join ")
    elif name == "replace" and isinstance(value, str) and len(data) >= 3:
        count = data[3] if len(data) > 3 else kwargs.get("count")
        _refuse_if_over(_replaced_size(value, str(data[1]), str(data[2]), count if isinstance(count, int) else -1), "replace ")
    elif name == "indent" and isinstance(value, str):
        width = data[1] if len(data) > 1 else kwargs.get("width", 4)
        per_line = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        _refuse_if_over(len(value) + (value.count("\n") + 1) * per_line, "indent ")
    return (*args[:skip], *data)


# -- the time limit ---------------------------------------------------------------------------------------------------

class RenderTimeout(RenderLimitError):
    pass


@contextlib.contextmanager
def deadline(seconds: float):
    """Stop the code inside after `seconds` with RenderTimeout: an interval timer on POSIX's main thread, else a
    watchdog thread that raises the exception in this one. Neither can stop one long C call, which the size limits
    above keep short."""
    if seconds <= 0:
        yield
        return
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


def _timeout_message(seconds: float) -> str:
    return f"渲染超过 {seconds:g} 秒仍未完成（可能是死循环或过深的递归）"


@contextlib.contextmanager
def _alarm(seconds: float):
    def expired(signum, frame):
        raise RenderTimeout(_timeout_message(seconds))

    previous = signal.signal(signal.SIGALRM, expired)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:  # someone else's timer was running: let it go on
            signal.setitimer(signal.ITIMER_REAL, *outer)


@contextlib.contextmanager
def _watchdog(seconds: float):
    import ctypes

    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if state["done"]:
                return
            state["fired"] = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Expired))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _Expired:
        raise RenderTimeout(_timeout_message(seconds)) from None
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:  # fired but perhaps not yet delivered: take it back
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


class _Expired(Exception):
    """Raised asynchronously by the watchdog; turned into RenderTimeout where it lands."""
