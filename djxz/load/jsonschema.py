"""JSON Schemas for editors, generated from the same field specs the checker uses (load/schema.py)."""

from __future__ import annotations

from typing import Any

from djxz.load.schema import FILE_SPECS, ID_PATTERN, Field, Spec
from djxz.model import Vocabulary

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# The years the converter accepts (1990-2100): a far-future date is a typo in both.
_DATE = r"^(199[0-9]|20[0-9][0-9]|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_PERIOD = r"^[0-9]{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2])|-W(0[1-9]|[1-4][0-9]|5[0-3]))?$"

# YAML that editors read as numbers or booleans must still be accepted where djxz reads the raw text.
_SCALARS = {"type": ["string", "number", "integer", "boolean"]}


def _scalar(fld: Field, vocab: Vocabulary) -> dict[str, Any]:
    kind = fld.type
    if kind in ("str", "text"):
        return dict(_SCALARS)
    if kind in ("id", "unit"):
        return {"type": "string", "pattern": ID_PATTERN}
    if kind == "enum":
        return {"enum": list(vocab.allowed(fld.vocabulary) if fld.vocabulary else fld.choices)}
    if kind == "int":
        out: dict[str, Any] = {"type": "integer"}
        if fld.minimum is not None:
            out["minimum"] = fld.minimum
        if fld.maximum is not None:
            out["maximum"] = fld.maximum
        return out
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        # A YAML-aware validator may hand over a date object; the format keyword covers both spellings.
        return {"type": "string", "pattern": _DATE, "format": "date"}
    if kind == "month":
        return {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}
    if kind == "monthday":
        return {"type": "string", "pattern": r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}
    if kind == "period":
        return {"type": ["string", "integer"], "pattern": _PERIOD}
    raise AssertionError(kind)  # pragma: no cover - the schema is ours


def _field(fld: Field, vocab: Vocabulary) -> dict[str, Any]:
    if fld.type == "object":
        out = _object(fld.spec, vocab)
    elif fld.type == "list":
        item = _object(fld.item, vocab) if isinstance(fld.item, Spec) else _scalar(fld.item, vocab)
        array = {"type": "array", "items": item}
        if fld.required:
            array["minItems"] = 1
        # `hosts: a` is read as a list of one, as a clerk would expect.
        out = array if isinstance(fld.item, Spec) else {"anyOf": [array, item]}
    else:
        out = _scalar(fld, vocab)
    out = {"title": fld.title, **out}
    if fld.description:
        out["description"] = fld.description
    if fld.example is not None:
        out["examples"] = [fld.example]
    if not fld.required:
        out = {"anyOf": [out, {"type": "null"}], "title": fld.title}
    return out


def _object(spec: Spec, vocab: Vocabulary) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "title": spec.title,
        "properties": {f.key: _field(f, vocab) for f in spec.fields},
        "additionalProperties": False,
    }
    required = [f.key for f in spec.fields if f.required]
    if required:
        out["required"] = required
    if spec.description:
        out["description"] = spec.description
    return out


def schema_for(kind: str, vocab: Vocabulary = Vocabulary()) -> dict[str, Any]:
    spec = FILE_SPECS[kind]
    return {"$schema": DRAFT, "$id": f"{kind}.schema.json", **_object(spec, vocab)}


def all_schemas(vocab: Vocabulary = Vocabulary()) -> dict[str, dict[str, Any]]:
    """File name -> schema, one per file kind; with a zone's vocabulary, its kinds follow the built-in ones."""
    return {f"{kind}.schema.json": schema_for(kind, vocab) for kind in FILE_SPECS}
