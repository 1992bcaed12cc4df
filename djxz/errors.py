"""The exceptions that stop a command; data problems are Diagnostics, not exceptions."""


class DjxzError(Exception):
    """Cannot go on. The message is Chinese and shown to the user as is."""

    exit_code = 1


class UserError(DjxzError):
    """Wrong usage: a bad option, no zone found (exit 2)."""

    exit_code = 2


class DataError(DjxzError):
    """The zone's data is invalid, so the command refuses (exit 1)."""

    exit_code = 1


class RepoError(DjxzError):
    """Git refused or the repository is in a state we will not touch (exit 1)."""

    exit_code = 1


class TemplateError(DjxzError):
    """A template is broken or tried something the sandbox forbids (exit 1)."""

    exit_code = 1


# What the operating system said, in the words a clerk understands (errno name -> Chinese).
_OS_REASONS = {
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EACCES": "没有权限（文件或目录是只读的，或属于别人）",
    "EPERM": "操作不被允许（文件或目录被锁定或是只读的）",
    "EROFS": "所在的磁盘是只读的",
    "ENOENT": "文件或目录不存在",
    "EEXIST": "文件已存在",
    "ENOTDIR": "路径中有一段不是目录",
    "EISDIR": "这是一个目录，不是文件",
    "EIO": "磁盘读写出错",
    "EMFILE": "同时打开的文件太多",
    "ENAMETOOLONG": "文件名太长",
    "ELOOP": "符号链接循环",
    "EBUSY": "文件正被其他程序使用",
    "EXDEV": "不能在两个磁盘之间移动",
}


def describe_os_error(exc: OSError) -> str:
    """`exc` as one Chinese sentence naming the file: 文件操作失败：…/zone.yaml：磁盘空间不足（No space left on device）."""
    import errno as errno_names

    name = errno_names.errorcode.get(exc.errno or 0, "")
    reason = _OS_REASONS.get(name)
    detail = exc.strerror or str(exc) or type(exc).__name__
    text = f"{reason}（{detail}）" if reason else detail
    where = exc.filename if exc.filename is not None else None
    if exc.filename2 is not None:
        where = f"{exc.filename} → {exc.filename2}"
    return f"文件操作失败：{where}：{text}" if where else f"文件操作失败：{text}"
