"""Config problems as staff read them: file, entry, field, what was expected, how to fix it."""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from kiosk.core.text import safe_excerpt

Severity = Literal["error", "warning"]

# Which top-level keys are arrays of tables, and what identifies one entry.
_ENTRY_LABEL_KEYS = {
    "group": ("id",),
    "event": ("id",),
    "tip": ("id",),
    "resource": ("id",),
    "cancellation": ("group", "date"),
    "calendar": ("file",),
    "alert": ("id",),
}

# Examples used in "add this key" hints.
_EXAMPLES = {
    "name": 'name = "Harm Reduction Group"',
    "timezone": 'timezone = "America/Los_Angeles"',
    "id": 'id = "harm-reduction"',
    "title": 'title = "Harm Reduction Group"',
    "start": "start = 18:00:00 (or 2026-12-05T14:00:00 for a one-off event)",
    "duration_minutes": "duration_minutes = 90",
    "group": 'group = "harm-reduction"',
    "date": "date = 2026-11-24",
    "file": 'file = "groups.ics"',
    "category": 'category = "set"',
    "text": 'text = "Eat something before you use."',
}


@dataclass(frozen=True)
class Issue:
    """One problem in the config. Errors stop a config from loading; warnings do not."""

    severity: Severity
    file: str
    message: str
    hint: str = ""
    entry: str = ""
    field: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f", {self.entry}"
        if self.field:
            where += f", field `{self.field}`"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    Fix: {self.hint}"
        return text


def error(file: str, message: str, hint: str = "", entry: str = "", field: str = "") -> Issue:
    return Issue("error", file, message, hint, entry, field)


def warning(file: str, message: str, hint: str = "", entry: str = "", field: str = "") -> Issue:
    return Issue("warning", file, message, hint, entry, field)


def entry_label(table: str, index: int, raw: Any) -> str:
    """'[[group]] #2 "harm-reduction"': the array, its 1-based position, and what names it."""
    label = f"[[{table}]] #{index + 1}"
    keys = _ENTRY_LABEL_KEYS.get(table, ())
    if isinstance(raw, BaseModel):
        raw = {k: getattr(raw, k) for k in keys if getattr(raw, k, None) is not None}
    if isinstance(raw, dict):
        parts = [str(raw[k]) for k in keys if k in raw]
        if parts:
            label += ' "' + safe_excerpt(" ".join(parts), 60) + '"'
    return label


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Models inside a type such as list[Group] or Timing | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def list_entry_model(annotation: Any) -> type[BaseModel] | None:
    """Group for list[Group] (an array of tables); None for anything else."""
    if typing.get_origin(annotation) is list:
        models = _models_in(annotation)
        return models[0] if models else None
    return None


def _submodel(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    """The model nested under `key` in `model`, looking through list[...] and Optional."""
    if model is None:
        return None
    field = model.model_fields.get(key)
    if field is None:
        field = next((f for f in model.model_fields.values() if f.alias == key), None)
    models = _models_in(field.annotation) if field else []
    return models[0] if models else None


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _where(loc: tuple[Any, ...], raw: dict[str, Any], root: type[BaseModel]):
    """Split a pydantic location into (entry label, field path, model owning the field)."""
    if not loc:
        return "", "", root
    head = str(loc[0])
    rest = list(loc[1:])
    model = _submodel(root, head)
    entry = ""
    if rest and isinstance(rest[0], int):
        index = rest.pop(0)
        items = raw.get(head)
        item = items[index] if isinstance(items, list) and index < len(items) else None
        entry = entry_label(head, index, item)
    elif model is not None and rest:
        entry = f"[{head}]"
    else:
        rest = [head]
        model = root
    owner = model
    names = [str(p) for p in rest if not isinstance(p, int)]
    for name in names[:-1]:
        owner = _submodel(owner, name)
    path = ""
    for part in rest:
        path += f"[{part + 1}]" if isinstance(part, int) else (("." if path else "") + str(part))
    return entry, path, owner


def _describe(err: dict[str, Any], field: str, owner: type[BaseModel] | None) -> tuple[str, str]:
    """(message, hint) for one pydantic error, in words for staff."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    last = field.rsplit(".", 1)[-1].split("[", 1)[0]
    if kind == "kiosk":
        return ctx["message"], ctx.get("hint", "")
    if kind == "missing":
        example = _EXAMPLES.get(last, f"{last} = …")
        return f"required key `{last}` is missing", f"Add {example}."
    if kind == "extra_forbidden":
        allowed = _allowed_keys(owner)
        close = difflib.get_close_matches(last, allowed, n=1)
        hint = f'Did you mean "{close[0]}"? ' if close else ""
        hint += f"Keys allowed here: {', '.join(allowed)}." if allowed else "Remove it."
        return f"unknown key `{last}`", hint
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f'Did you mean "{close[0]}"?' if close else f"Use one of {expected}."
        return f"{_toml_value(value)} is not allowed; expected one of {expected}", hint
    if kind.startswith("time"):
        return (
            f"expected a time of day, got {_toml_value(value)}",
            f"Write a 24-hour time without quotes, e.g. {last} = 18:30:00.",
        )
    if kind.startswith("datetime"):
        return (
            f"expected a local date and time, got {_toml_value(value)}",
            f"Write it without quotes, e.g. {last} = 2026-12-05T14:00:00.",
        )
    if kind.startswith("date"):
        return (
            f"expected a date, got {_toml_value(value)}",
            f"Write it without quotes, e.g. {last} = 2026-11-24.",
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_toml_value(value)}", f"e.g. {last} = 60"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_toml_value(value)}", f"e.g. {last} = true"
    if kind == "string_type":
        return f"expected text, got {_toml_value(value)}", f'Put it in double quotes: {last} = "…"'
    if kind == "list_type":
        return (
            f"expected a list, got {_toml_value(value)}",
            f'Use square brackets, e.g. {last} = ["…"]',
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"expected a table, got {_toml_value(value)}",
            f"Write it as [{last}] with keys under it.",
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{_toml_value(value)} is out of range: {err['msg'].lower()}", "Change the number."
    if kind in ("string_too_short", "too_short"):
        return "it is empty", "Fill it in, or remove the key."
    if kind == "string_too_long":
        most = ctx.get("max_length")
        return (
            f"it is {len(value) if isinstance(value, str) else 'too many'} characters long"
            f" (at most {most})",
            "Shorten it.",
        )
    if kind == "too_long":
        most = ctx.get("max_length")
        count = len(value) if isinstance(value, (list, dict)) else "too many"
        return f"it has {count} entries (at most {most})", "Remove some, or split them up."
    return err["msg"], ""


def from_validation_error(
    file: str, exc: ValidationError, raw: dict[str, Any], root: type[BaseModel]
) -> list[Issue]:
    """Every error in `exc` as an Issue naming file, entry and field."""
    issues = []
    for err in exc.errors():
        entry, field, owner = _where(tuple(err["loc"]), raw, root)
        extra = (err.get("ctx") or {}).get("field")
        if extra:  # an entry-level check names the key it is about
            field = f"{field}.{extra}" if field else extra
        message, hint = _describe(err, field, owner)
        issues.append(error(file, message, hint, entry, field))
    return issues
