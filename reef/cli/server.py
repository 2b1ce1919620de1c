"""``reef serve``, ``reef user add|token|list`` and ``reef export``: parse options, call one library function.

Example:
    >>> from typer.testing import CliRunner
    >>> CliRunner().invoke(user_app, ["--help"]).exit_code
    0
"""
from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from reef.cli._common import (DEFAULT_DB, ConfigOpt, DbOpt, JsonOpt, LangOpt, emit, kv_table, open_community, out,
                              resolve_lang, rows_table)
from reef.cli._errors import handled, options_conflict
from reef.cli._labels import labels, word
from reef.errors import InvalidParameterError

__all__ = ["user_app", "serve", "export", "register"]

user_app = typer.Typer(no_args_is_help=True, help="Manage dashboard and API users (roles: admin, operator, viewer).")


@handled
def serve(
    host: Annotated[Optional[str], typer.Option("--host", help="Address to listen on (default: server.host, loopback).")] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port, 1-65535 (default: server.port).")] = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
) -> None:
    """Start the HTTP API and the dashboard (needs the 'server' extra); Ctrl-C stops it."""
    from reef.server import check_listen, serve as run

    check_listen(host, port, options=True)  # before the store is opened, naming the option
    community = open_community(db, config, create=True)  # a fresh server takes its data by upload
    run(community.path, host=host, port=port, config=community.config)


@user_app.command("add")
@handled
def user_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, '-', '_', '.').")],
    role: Annotated[str, typer.Option("--role", help="admin, operator or viewer.")] = "viewer",
    password_env: Annotated[Optional[str], typer.Option("--password-env", help="Read the password from this environment variable instead of prompting.")] = None,
    no_password: Annotated[bool, typer.Option("--no-password", help="No password: the user can only use API tokens.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace an existing user of that name (new role and password).")] = False,
    lang: LangOpt = None,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Create a user with a role; asks for the password twice unless --password-env or --no-password."""
    from reef.actions import add_user
    from reef.actions.access import check_role
    from reef.web.messages import WEB_MESSAGES

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the password is asked for
    check_role(role)  # a wrong role fails before the password is asked for
    password = None
    if password_env and no_password:
        raise options_conflict("--password-env", "--no-password", either=True)
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise InvalidParameterError(
                "--password-env", password_env, "the name of a set, non-empty environment variable",
                hint=f"The environment variable {password_env} is empty or unset: export {password_env}=... first.",
                hint_zh=f"环境变量 {password_env} 为空或未设置：请先 export {password_env}=...。")
    elif not no_password:
        password = _ask_password()
    community = open_community(db, config, create=True)
    user = add_user(community.store, name, role, password=password, replace=replace, by=getpass.getuser(), client="cli")
    lang = resolve_lang(lang, community.config)
    shown = {**user, "role": WEB_MESSAGES.get(f"role.{user['role']}", (user["role"],))[0]} if lang == "zh" else user
    emit(user, as_json, lambda u: kv_table(word("user", lang), shown, lang=lang, labels=labels(*(k for k in shown if k in _USER_KEYS))))


_USER_KEYS = ("username", "role", "has_password", "sessions_ended", "tokens_revoked")


def _ask_password() -> str:
    """The password typed twice on the terminal (or two lines piped on stdin when there is none). No terminal and
    nothing on stdin (``</dev/null``, a cron job), or two different entries, is an ``invalid_parameter`` error naming
    ``--password-env`` and ``--no-password``, not click's bare "Aborted!"."""
    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Again: ")
    except EOFError:
        error = InvalidParameterError(
            "password", None, "a password",
            hint="Pass it in an environment variable with --password-env VAR (export VAR=... first), "
                 "or create a token-only user with --no-password.",
            hint_zh="请用 --password-env VAR 从环境变量读取密码（先 export VAR=...），或用 --no-password 创建只用 API 令牌的用户。")
        error.message = "No password given and no terminal to ask for it on."
        error.message_zh = "未给出密码，且没有可以输入密码的终端。"
        raise error from None
    if again != password:
        error = InvalidParameterError("password", "***", "the same password twice",
                                      hint="Run the command again and type the same password twice.",
                                      hint_zh="请重新运行命令，两次输入相同的密码。")
        error.message, error.message_zh = "The two passwords differ.", "两次输入的密码不一致。"
        raise error
    return password


@user_app.command("token")
@handled
def user_token(
    name: Annotated[str, typer.Argument(help="User the token acts as.")],
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Issue an API token for scripts (send it as 'Authorization: Bearer TOKEN'); shown once."""
    from reef.actions import issue_token

    token = issue_token(open_community(db, config).store, name, by=getpass.getuser(), client="cli")
    emit({"username": name, "token": token}, as_json, lambda d: out.print(d["token"]))


@user_app.command("list")
@handled
def user_list(lang: LangOpt = None, db: DbOpt = DEFAULT_DB, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """List users, their roles and how many API tokens each has."""
    from reef.actions import list_users
    from reef.web.messages import WEB_MESSAGES

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before the store is opened
    community = open_community(db, config)
    users, lang = ([{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in u.items()} for u in list_users(community.store)],
                   resolve_lang(lang, community.config))
    shown = [{**u, "role": WEB_MESSAGES.get(f"role.{u['role']}", (u["role"],))[0]} for u in users] if lang == "zh" else users
    emit(users, as_json, lambda us: rows_table(word("users", lang), shown, ["username", "role", "has_password", "tokens", "created_at"],
                                               lang=lang, labels=labels("username", "has_password", "tokens")))


@handled
def export(
    out_path: Annotated[Optional[Path], typer.Option("--out", help="data.xlsx (one workbook), a folder or a .zip (CSV or Parquet files). "
                                                                   "Default: reef-export-<day of the newest data>.xlsx here.")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="xlsx, csv or parquet (default: from the --out suffix; csv otherwise).")] = None,
    unmask: Annotated[bool, typer.Option("--unmask", help="Export personal data unmasked (admins only; audited).")] = False,
    lang: LangOpt = None,
    raw_headers: Annotated[bool, typer.Option("--raw-headers", help="Head CSV columns with their keys (member_id ...) "
                                                                    "instead of names in --lang, for data work.")] = False,
    db: DbOpt = DEFAULT_DB,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the main tables (members, member summary, daily activity, operator actions, care list ...; sheets and headers
    in --lang), personal data masked: an operator workbook or CSV / Parquet files."""
    from reef.export import export_tables

    if lang is not None:
        resolve_lang(lang)  # a bad --lang fails before anything is written
    community = open_community(db, config)
    lang = resolve_lang(lang, community.config)
    result = export_tables(community.store, out_path, fmt=fmt, unmask=unmask, by=getpass.getuser(), role="cli", client="cli",
                           lang=lang, raw_headers=raw_headers)
    masked = word("masked" if result["masked"] else "unmasked", lang)
    emit(result, as_json, lambda r: rows_table(f"{word('export', lang)} {r['out']}" + (f"（{masked}）" if lang == "zh" else f" ({masked})"),
                                               r["tables"], ["sheet", "table", "rows", "as_of"], lang=lang,
                                               labels=labels("sheet", "table", "rows")))
    if result["warning"]:  # sheets from different moments, or from before the data ends: on stderr with --json too
        from reef.cli._coverage import warn

        warn(result["warning"])


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``reef`` app."""
    app.command("serve")(serve)
    app.command("export")(export)
    app.add_typer(user_app, name="user")
