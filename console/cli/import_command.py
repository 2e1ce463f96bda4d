"""`watchdeck import cloudwatch`: a CloudWatch dashboard body as a profile."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from console.cli.profile_options import Subcommands


def add_to(commands: Subcommands) -> None:
    """Add `import` to the command line."""
    command = commands.add_parser(
        "import", help="turn a CloudWatch dashboard into a profile"
    )
    command.add_argument("kind", choices=["cloudwatch"], help="what to import")
    command.add_argument(
        "file", nargs="?", help="a dashboard body (JSON); `-` reads standard input"
    )
    command.add_argument("--name", help="read this dashboard with GetDashboard")
    command.add_argument("--aws-profile", help="AWS profile for --name")
    command.add_argument("--region", help="AWS region for --name")
    command.add_argument("-o", "--output", help="write the profile here (0600)")
    command.set_defaults(handler=_import)


def _import(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from console.cloudwatch_import import ImportError_, import_dashboard
    from console.file_writing import write_private

    if (options.file is None) == (options.name is None):
        print("watchdeck import: give either FILE or --name NAME", file=err)
        return 2
    if options.name is not None:
        body = _get_dashboard(options, err)
        if body is None:
            return 1
        label, name = f"dashboard {options.name}", options.name
    else:
        try:
            if options.file == "-":
                body = sys.stdin.read()
            else:
                with open(options.file, encoding="utf-8") as handle:
                    body = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            print(f"{options.file}: cannot read: {error}", file=err)
            return 1
        label = options.file
        name = options.file.rsplit("/", 1)[-1].removesuffix(".json")
    try:
        text = import_dashboard(body, name)
    except ImportError_ as error:
        print(f"{label}: {error}", file=err)
        return 1
    if options.output:
        try:
            write_private(options.output, text)
        except OSError as error:
            print(f"{options.output}: cannot write: {error}", file=err)
            return 1
    else:
        out.write(text)
    return 0


def _get_dashboard(options: argparse.Namespace, err: TextIO) -> str | None:
    from console.sources.aws_options import AwsOptions
    from console.sources.aws_reasons import aws_reason
    from console.sources.aws_session import AwsClients

    try:
        aws = AwsOptions.model_validate(
            {"profile": options.aws_profile, "region": options.region}
        )
    except ValueError as error:
        print(f"watchdeck import: {error}", file=err)
        return None
    clients = AwsClients(aws)
    try:
        answer = clients.client("cloudwatch").get_dashboard(DashboardName=options.name)
    except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
        reason = aws_reason(
            error,
            "cloudwatch:GetDashboard",
            clients.profile_label,
            clients.region_label(),
        )
        print(f"watchdeck import: {reason}", file=err)
        return None
    return str(answer.get("DashboardBody", ""))
