"""What every CLI command gets: the data directory, the database, output helpers, the acting user."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.db import Database, open_database
from app.errors import AuthenticationError, UserInputError
from app.paths import resolve_data_dir
from app.services.actor import Actor

ENV_PASSWORD = "SKILLSITE_PASSWORD"


@dataclass
class CliContext:
    args: argparse.Namespace
    _db: Database | None = field(default=None, init=False)

    @property
    def data_dir(self) -> Path:
        return resolve_data_dir(self.args.data_dir)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.data_dir)
        return self._db

    def has_database(self) -> bool:
        """Whether the data directory has a database to consult, found without creating one:
        checking a code or another site's certificate in a new or unrelated folder leaves it as
        it was. (A PostgreSQL URL is taken to have one.)"""
        from app.db import engine

        url = engine.database_url(self.data_dir)
        return not url.startswith("sqlite") or engine.database_path(self.data_dir).exists()

    def out(self, text: str = "") -> None:
        print(text)

    def err(self, text: str) -> None:
        print(text, file=sys.stderr)

    def json(self, data: Any) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def actor(self, why: str = "会修改数据") -> Actor:
        """Log in as --user with SKILLSITE_PASSWORD or an interactive prompt; `why` says in the
        refusal why the command needs a user ("会修改数据", "会显示人员信息")."""
        from app.services.users import authenticate

        name = getattr(self.args, "user", None)
        if not name:
            raise UserInputError(
                f"此命令{why}，需要用 --user 用户名 指定操作人"
                "（密码取自环境变量 SKILLSITE_PASSWORD，或交互输入）。"
            )
        password = os.environ.get(ENV_PASSWORD)
        if password is None:
            if not sys.stdin or not sys.stdin.isatty():
                raise AuthenticationError("未提供密码：请设置环境变量 SKILLSITE_PASSWORD，或在终端中运行以便输入密码。")
            password = getpass.getpass(f"用户 {name} 的密码：")
        with self.db.session() as s:
            return authenticate(s, name, password)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
