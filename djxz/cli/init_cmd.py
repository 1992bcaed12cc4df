"""`djxz init`: a new zone repository in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typing_extensions import Annotated

from djxz.cli.common import today


def init(
    directory: Annotated[Optional[Path], typer.Argument(help="新仓库的目录（不存在或为空）", show_default=False)] = None,
    example: Annotated[bool, typer.Option("--example", help="用随 djxz 发布的示例协作区（虚构）代替空白骨架，便于试用")] = False,
    zone: Annotated[Optional[Path], typer.Option("--zone", "-z", help="新仓库的目录，与直接写目录相同（与其他命令的写法一致）", show_default=False)] = None,
) -> None:
    """新建一个协作区仓库：git 仓库、data/ 骨架（或示例协作区）、templates/、.gitignore、
    检查拉取请求的 CI 配置、提交前检查的配置和编辑器用的 JSON Schema。

    空白骨架中的名称、人名和单位都是占位内容，可直接通过 djxz check，改成本协作区的实际情况即可。
    """
    from djxz.app.init import init_zone  # the use case and what it loads: only when this command runs
    from djxz.cli.common import console
    from djxz.errors import UserError

    if directory is not None and zone is not None and directory != zone:
        raise UserError("目录只能给一个：直接写目录，或用 --zone")
    directory = directory or zone
    if directory is None:
        raise UserError("缺少新仓库的目录：djxz init <目录>，或 djxz init --zone <目录>")

    result = init_zone(directory, today(), example=example)
    out = console()
    what = "示例协作区（虚构）" if result.example else "空白骨架（名称、人名、单位都是占位内容）"
    out.print(f"已新建协作区仓库 {result.root}，共 {len(result.files)} 个文件：", markup=False)
    out.print(f"  data/                      协作区数据：{what}", markup=False)
    out.print("  templates/                 本协作区自己的文档模板（可选），见其中的 README.md", markup=False)
    out.print("  schemas/                   编辑器用的 JSON Schema", markup=False)
    out.print("  .github/workflows/djxz.yml 拉取请求时检查改动并贴出改动说明", markup=False)
    out.print("  .pre-commit-config.yaml    提交前检查（pre-commit install 后生效）", markup=False)
    out.print("下一步：", markup=False)
    out.print(f"  cd {directory}", markup=False)
    if not result.example:
        out.print("  修改 data/zone.yaml 和 data/units/ 中的占位内容，再运行 djxz check", markup=False)
    out.print('  git add . && git commit -m "建立协作区"', markup=False)
