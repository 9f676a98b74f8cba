"""Config discovery and validation: which file applies, and how bad keys are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemalint.config import Config, ConfigError, find_config, load_config


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_dot_schemalint_toml_beats_schemalint_toml_beats_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".schemalint.toml": 'dialect = "sqlite"\n',
            "schemalint.toml": 'dialect = "mysql"\n',
            "pyproject.toml": '[tool.schemalint]\ndialect = "postgresql"\n',
        },
    )
    assert find_config(tmp_path) == tmp_path.resolve() / ".schemalint.toml"
    (tmp_path / ".schemalint.toml").unlink()
    assert find_config(tmp_path) == tmp_path.resolve() / "schemalint.toml"
    (tmp_path / "schemalint.toml").unlink()
    assert load_config(None, tmp_path).config.dialect == "postgresql"


def test_pyproject_without_tool_schemalint_is_skipped_while_walking_up(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "schemalint.toml": "ignore = ['SL101']\n",
            "backend/pyproject.toml": "[project]\nname = 'app'\n",
            "backend/app/models.py": "",
        },
    )
    loaded = load_config(None, tmp_path / "backend" / "app" / "models.py")
    assert loaded.path == tmp_path.resolve() / "schemalint.toml"
    assert loaded.config.ignore == ["SL101"]
    assert loaded.config_dir == tmp_path.resolve()


def test_nearest_config_file_wins_without_merging(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "schemalint.toml": "ignore = ['SL101']\n",
            "service/schemalint.toml": "select = ['SL2']\n",
        },
    )
    loaded = load_config(None, tmp_path / "service")
    assert loaded.config.select == ["SL2"]
    assert loaded.config.ignore == []


def test_walk_up_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path, {"schemalint.toml": "ignore = ['SL101']\n", "repo/.git/HEAD": "", "repo/app/x.py": ""})
    assert find_config(tmp_path / "repo" / "app") is None
    assert load_config(None, tmp_path / "repo").path is None


def test_no_config_file_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    loaded = load_config(None, tmp_path)
    assert loaded.path is None
    assert loaded.config_dir is None
    assert loaded.config == Config()
    assert loaded.config.select is None


def test_explicit_config_pyproject_reads_tool_table(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "schemalint.toml": 'dialect = "mysql"\n',
            "conf/pyproject.toml": '[tool.schemalint]\ndialect = "sqlite"\nmodels = ["app/*.py"]\n',
        },
    )
    loaded = load_config(tmp_path / "conf" / "pyproject.toml", tmp_path)
    assert loaded.config.dialect == "sqlite"
    assert loaded.config.models == ["app/*.py"]
    assert loaded.config_dir == (tmp_path / "conf").resolve()


def test_explicit_config_file_with_top_level_keys(tmp_path: Path) -> None:
    write(tmp_path, {"ci/lint.toml": "exclude = ['legacy/']\n"})
    loaded = load_config(tmp_path / "ci" / "lint.toml", tmp_path)
    assert loaded.config.exclude == ["legacy/"]


def test_explicit_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml", tmp_path)


def test_explicit_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n"})
    assert load_config(tmp_path / "pyproject.toml", tmp_path).config == Config()


def test_unknown_key_error_names_file_table_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.schemalint]\nselct = ['SL101']\n"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as error:
        load_config(None, tmp_path)
    assert str(error.value) == "pyproject.toml: [tool.schemalint] unknown key `selct`"


def test_wrong_type_error_names_key_expected_type_and_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"schemalint.toml": "select = 'SL101'\nignore = ['SL1', 3]\n"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as error:
        load_config(None, tmp_path)
    assert str(error.value).splitlines() == [
        "schemalint.toml: `select` expects a list of strings, got string 'SL101'",
        "schemalint.toml: `ignore[1]` expects a string, got integer 3",
    ]


def test_unknown_dialect_lists_the_choices(tmp_path: Path) -> None:
    write(tmp_path, {"schemalint.toml": "dialect = 'oracle'\n"})
    with pytest.raises(ConfigError, match=r'`dialect` expects one of "postgresql", "mysql", "sqlite"'):
        load_config(None, tmp_path)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("postgres", "postgresql"), ("PostgreSQL", "postgresql"), ("mariadb", "mysql"), ("sqlite3", "sqlite")],
)
def test_dialect_aliases_are_normalised(tmp_path: Path, written: str, canonical: str) -> None:
    write(tmp_path, {"schemalint.toml": f"dialect = '{written}'\n"})
    assert load_config(None, tmp_path).config.dialect == canonical


def test_toml_syntax_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"schemalint.toml": "select = [\n"})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"^schemalint.toml: invalid TOML: "):
        load_config(None, tmp_path)


def test_tool_schemalint_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool]\nschemalint = 3\n"})
    with pytest.raises(ConfigError, match="must be a table"):
        load_config(tmp_path / "pyproject.toml", tmp_path)


def test_config_is_frozen(tmp_path: Path) -> None:
    config = Config(dialect="mysql")
    with pytest.raises(ValueError):
        config.dialect = "sqlite"  # type: ignore[misc]
