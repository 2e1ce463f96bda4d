"""`watchdeck new`: write a new profile from a template."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TextIO

from console.cli.profile_options import Subcommands
from console.profile_templates import SOURCE_CHOICES, TEMPLATE_KINDS


def add_to(commands: Subcommands) -> None:
    """Add `new` to the command line."""
    new = commands.add_parser(
        "new",
        help="write a new profile from a template",
        description=(
            "Write a profile for one workload from a template. Without -o it goes "
            "to your profiles directory, where --profile finds it by name."
        ),
    )
    new.add_argument("--template", required=True, choices=TEMPLATE_KINDS)
    new.add_argument(
        "--workload", required=True, help="the service or system it looks at"
    )
    new.add_argument(
        "--source",
        choices=SOURCE_CHOICES,
        default="demo",
        help="where the data comes from (default: demo, synthetic data)",
    )
    new.add_argument(
        "-o", "--output", help="the file to write, or - for standard output"
    )
    new.add_argument(
        "--force", action="store_true", help="replace the file if it exists"
    )
    new.set_defaults(handler=_new)


def _new(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from console.problems import ProfileError
    from console.profile_catalog import user_profiles_dir
    from console.profile_loader import load_profile_text
    from console.profile_templates import (
        SOURCE_TYPES,
        TemplateError,
        profile_id,
        render_template,
    )
    from console.sources.registry import source_kinds

    source_type = SOURCE_TYPES[options.source]
    if source_type not in source_kinds():
        err.write(f"watchdeck new: this build has no {source_type} source\n")
        return 2
    try:
        text = render_template(options.template, options.workload, options.source)
        name = profile_id(options.workload, options.template)
    except TemplateError as error:
        err.write(f"watchdeck new: {error}\n")
        return 2
    try:
        load_profile_text(text, f"<{options.template} template>")
    except ProfileError as error:
        # A template that does not lint is a defect here, not the user's doing.
        err.write(f"watchdeck new: the template came out invalid:\n{error}\n")
        return 1
    if options.output == "-":
        out.write(text)
        return 0
    if options.output:
        target = Path(options.output).expanduser()
    else:
        target = user_profiles_dir() / f"{name}.yaml"
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        write_new_file(target, text, replace=options.force)
    except FileExistsError:
        err.write(f"watchdeck new: {target} exists; --force replaces it\n")
        return 1
    except OSError as error:
        err.write(f"watchdeck new: cannot write {target}: {error.strerror}\n")
        return 1
    opener = name if not options.output else str(target)
    out.write(f"wrote {target}\nopen it with: watchdeck --profile {opener}\n")
    return 0


def write_new_file(target: Path, text: str, *, replace: bool) -> None:
    """Write `text` to `target` whole or not at all, readable by its owner only.

    Without `replace`, raises `FileExistsError` if `target` exists, and never
    replaces a file that appears meanwhile: the finished temporary file is linked
    into place, which fails rather than overwrites.
    """
    directory = target.parent
    if not directory.is_dir():
        raise FileNotFoundError(2, "no such directory", str(directory))
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        if replace:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
