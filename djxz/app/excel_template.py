"""`djxz import --template`: an empty sheet with our headers (a note on each, dropdowns for fixed values) and a sheet
explaining each column."""

from __future__ import annotations

import io
from pathlib import Path

from djxz.app.sheet_cells import append_as_text, display_width, fit_columns, style_header
from djxz.app.sheet_columns import COLUMNS, HELP_SHEET, SHEETS, Column, with_vocabulary
from djxz.fsio import atomic_write
from djxz.model import Zone


def write_template(kind: str, out: Path, zone: Zone | None = None) -> None:
    """An empty sheet with our headers (notes on each, dropdowns for fixed values) and a sheet explaining each column.

    With a zone, the explanation also lists its units, so a clerk can copy their names.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = [with_vocabulary(c, zone.info.vocabulary if zone is not None and zone.info_ok else None) for c in COLUMNS[kind]]
    book = Workbook()
    ws = book.active
    ws.title = SHEETS[kind]
    ws.append([c.header for c in columns])
    style_header(ws)
    for i, col in enumerate(columns, 1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i)
        cell.comment = Comment(_explain(col), "djxz", width=300, height=160)
        ws.column_dimensions[letter].width = max(col.width, display_width(col.header) + 4, 10)
        if col.type == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if col.choices:
            rule = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle=col.header,
                                  error=f"请从下拉列表中选择：{'、'.join(col.choices)}")
            rule.add(f"{letter}2:{letter}2000")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"

    help_ws = book.create_sheet(HELP_SHEET)
    help_ws.append(["列名", "是否必填", "说明", "可选值"])
    for col in columns:
        help_ws.append([col.header, "必填" if col.required else "", col.note, "、".join(col.choices)])
    help_ws.append([])
    help_ws.append(["填写方法", "", f"每行一条记录，第一行的列名不要改；不需要的列可以删除。"
                    f"写好后运行：djxz import {'units' if kind == 'unit' else 'activities'} 文件名.xlsx --dry-run 预览，"
                    "没有错误再去掉 --dry-run 写入。同一张表重复导入时，未变的行会被跳过；改过的行列出改动，加 --update 才会更新记录。", ""])
    if zone is not None and kind == "activity":
        help_ws.append([])
        start = help_ws.max_row + 1
        help_ws.append(["单位编号", "全称", "简称", "身份"])
        for unit in zone.units.values():
            append_as_text(help_ws, [unit.id, unit.name, unit.short_name, unit.role])
        style_header(help_ws, start)
    style_header(help_ws)
    fit_columns(help_ws, limit=60, wrap=(3,))
    help_ws.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    atomic_write(out, stream.getvalue())


def _explain(col: Column) -> str:
    text = ("必填。" if col.required else "选填。") + col.note
    if col.choices:
        text += "\n可选：" + "、".join(col.choices)
    return text
