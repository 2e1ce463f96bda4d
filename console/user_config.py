"""The user's own settings: `config.yaml` in the user's config directory.

Only the person running the console writes this file, so it holds the choices a
profile may never make for them: which store keeps their views, whether `command`
sources may run programs, whether the console starts read-only, and which role they
work in. A missing file means every default; a bad one is refused with every problem
located as `path:line:col`, like a profile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field

from console.problems import Problem, ProfileError
from console.profile_loader import validate_model
from console.profile_schema import Role
from console.yaml_document import MAX_BYTES, load_yaml_document


class Settings(BaseModel):
    """Base of every config model: unknown keys refused, field docstrings kept."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True
    )


class SqliteStore(Settings):
    """Keep views, acknowledgements, annotations and usage in one SQLite file."""

    type: Literal["sqlite"] = "sqlite"
    """`sqlite`: the default store."""
    path: Path | None = None
    """The file. Left out: `state.db` in the user's data directory."""


class DynamoDbStore(Settings):
    """Share views, acknowledgements and annotations with a team through one
    DynamoDB table (created by the team; the console never creates tables)."""

    type: Literal["dynamodb"]
    """`dynamodb`: the team store."""
    table: str = Field(min_length=3, max_length=255)
    """The table's name."""
    region: str | None = None
    """The AWS region. Left out: the AWS configuration's default region."""
    profile: str | None = None
    """The AWS named profile to sign with. Left out: the default credentials."""
    endpoint_url: str | None = None
    """Another endpoint (a local DynamoDB or moto). Left out: AWS's own."""


StoreSettings = Annotated[SqliteStore | DynamoDbStore, Field(discriminator="type")]
"""Where user state is kept; `type:` picks the kind."""


class RoleMapping(Settings):
    """Which role each local user or group works in."""

    users: dict[str, Role] = Field(default_factory=dict)
    """Login name to role. A user listed here gets this role whatever their
    groups."""
    groups: dict[str, Role] = Field(default_factory=dict)
    """Local group name to role; the first listed group the user belongs to wins."""


class UsageSettings(Settings):
    """What the console records about its own use, for `watchdeck usage`."""

    record: bool = True
    """Record dashboards opened, drills and load times in the store. Left out: on."""


class UserConfig(Settings):
    """The user's settings. Every key may be left out."""

    store: StoreSettings = Field(default_factory=SqliteStore)
    """Where views, acknowledgements, annotations and usage are kept. Left out: the
    SQLite file in the user's data directory."""
    read_only: bool = False
    """Start every console read-only, as `--read-only` does. Left out: off."""
    allow_commands: bool = False
    """Let `command` sources run local programs, as `--allow-commands` does. Only
    this file or the command line can turn it on, never a profile. Left out: off."""
    usage: UsageSettings = Field(default_factory=UsageSettings)
    """Usage recording."""
    roles: RoleMapping = Field(default_factory=RoleMapping)
    """Local users and groups mapped to roles."""
    default_role: Role | None = None
    """The role of a user the mapping does not name. Left out: no role, and every
    profile and dashboard is shown."""


def default_config_path() -> Path:
    """`config.yaml` in the user's config directory."""
    return Path(platformdirs.user_config_dir("watchdeck")) / "config.yaml"


def load_user_config(path: Path | None = None) -> UserConfig:
    """The settings in `path` (default: the user's config file).

    A missing or empty file gives the defaults. Raises `ProfileError` with every
    problem located when the file cannot be read or does not fit the schema.
    """
    path = path or default_config_path()
    label = str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return UserConfig()
    except OSError as error:
        message = f"cannot read the config file: {error.strerror or error}"
        raise ProfileError([Problem(label, 1, 1, message)]) from None
    if _holds_nothing(data):
        return UserConfig()
    document = load_yaml_document(data, label)
    problems = list(document.problems)
    config = validate_model(
        UserConfig,
        document.tree,
        (),
        positions=document.positions,
        path_label=label,
        problems=problems,
    )
    if problems or config is None:
        raise ProfileError(problems)
    return config


def _holds_nothing(data: bytes) -> bool:
    """True for a file of blank lines and comments only."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    )
