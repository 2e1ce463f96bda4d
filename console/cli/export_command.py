"""`watchdeck export cloudwatch`: a profile's dashboard as a CloudWatch body."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from console.cli.profile_options import Subcommands


def add_to(commands: Subcommands) -> None:
    """Add `export` to the command line."""
    command = commands.add_parser(
        "export", help="turn a dashboard into a CloudWatch dashboard body"
    )
    command.add_argument("kind", choices=["cloudwatch"], help="what to export")
    command.add_argument("--profile", required=True, help="a profile name or path")
    command.add_argument("--dashboard", help="the dashboard id (default: the first)")
    command.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a profile variable (repeatable)",
    )
    command.add_argument("--put", metavar="NAME", help="PutDashboard under NAME")
    command.add_argument(
        "--read-only",
        action="store_true",
        help="refuse --put (also the config file's read_only: true)",
    )
    command.set_defaults(handler=_export)


def _export(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from console.cli.profile_options import load_from_options
    from console.cli.user_options import load_config
    from console.cloudwatch_export import export_dashboard

    if options.put is not None:
        config = load_config(err)
        if config is None:
            return 2
        if options.read_only or config.read_only:
            print(
                f"watchdeck export: read-only mode: {options.put!r} was not put "
                "(PutDashboard writes); print the body without --put",
                file=err,
            )
            return 1
    loaded = load_from_options(options, err)
    if loaded is None:
        return 1
    profile = loaded.profile
    dashboard = (
        profile.dashboard(options.dashboard)
        if options.dashboard
        else profile.dashboards[0]
    )
    assert dashboard is not None  # load_from_options checked the id
    exported = export_dashboard(profile, dashboard)
    for panel in exported.left_out:
        print(
            f"watchdeck export: panel {panel!r} reads no CloudWatch metrics; left out",
            file=err,
        )
    body = json.dumps(exported.body, indent=2)
    if options.put is None:
        out.write(body + "\n")
        return 0
    return _put(profile, options.put, body, err)


def _put(profile: object, name: str, body: str, err: TextIO) -> int:
    from console.profile_schema import Profile
    from console.sources.aws_options import AwsOptions
    from console.sources.aws_reasons import aws_reason
    from console.sources.aws_session import AwsClients

    assert isinstance(profile, Profile)
    specs = [s for s in profile.sources.values() if s.type == "cloudwatch"]
    aws = AwsOptions.model_validate(specs[0].options() if specs else {})
    clients = AwsClients(aws)
    try:
        clients.client("cloudwatch").put_dashboard(
            DashboardName=name, DashboardBody=body
        )
    except Exception as error:  # noqa: BLE001 - every SDK failure is a reason
        reason = aws_reason(
            error,
            "cloudwatch:PutDashboard",
            clients.profile_label,
            clients.region_label(),
        )
        print(f"watchdeck export: {reason}", file=err)
        return 1
    print(f"watchdeck export: put dashboard {name!r}", file=err)
    return 0
