"""What each document says, as plain data: one context builder per document, feeding the Markdown and DOCX templates.

The builders live in one module per document (summary, plan_context, bulletin_context) over shared pieces (common);
this module gathers their public names so callers import one place.
"""

from __future__ import annotations

from djxz.report.bulletin_context import build_bulletin_context, next_bulletin_number, recorded_bulletin
from djxz.report.common import (
    ANNUAL, BULLETIN, BULLETIN_KIND, HALF_YEAR, MEETING_KINDS, PLAN, RECORD_KINDS, clean, cn_date, cn_month_day,
    cn_number, display_width, heading1, heading2, join, paragraphs, recorded_document,
)
from djxz.report.plan_context import build_plan_context
from djxz.report.summary import build_report_context

__all__ = [
    "ANNUAL", "BULLETIN", "BULLETIN_KIND", "HALF_YEAR", "MEETING_KINDS", "PLAN", "RECORD_KINDS", "build_bulletin_context",
    "build_plan_context", "build_report_context", "clean", "cn_date", "cn_month_day", "cn_number", "display_width",
    "heading1", "heading2", "join", "next_bulletin_number", "paragraphs", "recorded_bulletin", "recorded_document",
]
