"""docs/configuration.md lists every setting exactly as the settings class declares it."""

import re
import typing
from pathlib import Path

from uglymugs.config import Settings, readers, variable

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def type_name(annotation: object) -> str:
    """``str | None`` → ``text``; ``Literal['outbox', 'sns']`` → ``outbox | sns``."""
    names = []
    for part in typing.get_args(annotation) or (annotation,):
        if part is type(None):
            continue
        if typing.get_origin(part) is typing.Literal:
            names += [str(value) for value in typing.get_args(part)]
        else:
            names.append(
                {"str": "text", "int": "integer", "Path": "path", "SecretStr": "secret text"}.get(
                    getattr(part, "__name__", str(part)), getattr(part, "__name__", str(part))
                )
            )
    return " | ".join(names)


def expected_rows() -> list[str]:
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "—" if default is None else f"`{default}`"
        rows.append(
            f"| `{variable(name)}` | {type_name(field.annotation)} | {shown} | "
            f"{', '.join(readers(name))} | {field.description} |"
        )
    return rows


def documented_rows() -> list[str]:
    return [line for line in DOC.read_text().splitlines() if re.match(r"\| `UGLYMUGS_", line)]


def test_every_setting_is_documented_as_declared():
    assert documented_rows() == expected_rows(), "docs/configuration.md: regenerate the table"
