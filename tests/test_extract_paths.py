"""The paths/env extractor: machine paths, cwd-built paths, env entries and test settings, with spans."""

from __future__ import annotations

import subprocess
from pathlib import Path

from schemalint.cli import run_check
from schemalint.dburl import database_identity, expand, mask_passwords_in_text, mask_url
from schemalint.extract.paths import extract_env_file, extract_path_facts
from schemalint.pathfacts import DEFAULT_MACHINE_PATH_PREFIXES, is_test_location
from tests.conftest import write_project

PREFIXES = DEFAULT_MACHINE_PATH_PREFIXES


def _paths(text: str, rel: str, kind: str | None = None) -> list[tuple[str, int, int]]:
    facts = extract_path_facts(text, rel, PREFIXES, kind=kind)
    return [(m.text, m.span.line, m.span.column) for m in facts.machine_paths]


def test_python_string_literals_are_searched_but_not_comments_or_docstrings() -> None:
    text = (
        '"""Written in /home/ken/app."""\n'
        "import sys\n"
        '# sys.path.insert(0, "/home/ken/old")\n'
        'sys.path.insert(0, "/home/ken/app/src")\n'
        'name = f"/Users/simon/{project}/x"\n'
    )
    assert _paths(text, "tests/helpers.py") == [("/home/ken/app/src", 4, 21), ("/Users/simon/", 5, 10)]


def test_usage_tells_setup_from_test_data() -> None:
    text = (
        "import sys\n"
        'sys.path.insert(0, "/home/ken/app/src")\n'
        'ROOT = "/home/ken/app"\n'
        "def test_x():\n"
        '    check("/home/reporter/.config/x.toml")\n'
    )
    facts = extract_path_facts(text, "tests/test_x.py", PREFIXES)
    assert [m.usage for m in facts.machine_paths] == ["sys.path.insert", "constant", ""]


def test_urls_placeholders_schemes_and_system_paths_are_not_machine_paths() -> None:
    text = (
        'a = "https://example.com/home/x"\n'
        'b = "/tmp/x"; c = "/etc/ssl/certs"; d = "~/.config/x"\n'
        'e = "/home/user/project"; f = "/Users/user.name/x"; g = "dbfs:/home/cluster_log"\n'
        'h = "file:///home/ken/x.db"; i = r"C:\\Users\\ken\\app"; j = "PATH=$PATH:/home/ken/bin"\n'
    )
    assert _paths(text, "app/x.py") == [
        ("/home/ken/x.db", 4, 13),
        ("C:\\Users\\ken\\app", 4, 36),
        ("/home/ken/bin", 4, 71),
    ]


def test_typescript_strings_and_template_fragments_but_not_comments() -> None:
    text = (
        "// /home/ken/comment\n"
        'const { h } = require("/home/ken/app/handler");\n'
        "const t = `/Users/simon/${dir}/x`;\n"
        "/* /root/block */\n"
    )
    facts = extract_path_facts(text, "src/a.test.ts", PREFIXES)
    assert [(m.text, m.span.line, m.span.column, m.usage) for m in facts.machine_paths] == [
        ("/home/ken/app/handler", 2, 24, "require"),
        ("/Users/simon/", 3, 12, "constant"),
    ]


def test_shell_words_outside_comments() -> None:
    text = "#!/bin/sh\n# cd /home/simon/x\ncd /home/simon/app # /home/simon/c\necho '#' /root/.ssh/id\n"
    assert _paths(text, "scripts/backup", kind="shell") == [
        ("/home/simon/app", 3, 4),
        ("/root/.ssh/id", 4, 10),
    ]


def test_config_values_not_keys_or_comments() -> None:
    json_text = '{"/home/ken/key": "/home/ken/value", "a": "C:\\\\Users\\\\ken\\\\x"}'
    assert _paths(json_text, "package.json") == [
        ("/home/ken/value", 1, 20),
        ("C:\\\\Users\\\\ken\\\\x", 1, 44),
    ]
    yaml_text = "# /home/ken/c\npath: /home/ken/data  # /home/ken/cc\nlist:\n  - /Users/ken/x\n"
    assert _paths(yaml_text, "conf.yml") == [("/home/ken/data", 2, 7), ("/Users/ken/x", 4, 5)]


def test_cwd_paths_python_and_javascript() -> None:
    python = (
        "import os\nfrom pathlib import Path\n"
        'a = os.path.join(os.getcwd(), "assets", "x")\n'
        'b = Path.cwd() / "data" / "y"\n'
        'c = Path(os.getcwd()) / "z"\n'
        'd = os.getcwd() + "/x"\n'
        'e = f"{os.getcwd()}/x"\n'
        "f = os.path.join(os.getcwd(), name)\n"
        "g = os.getcwd()\n"
    )
    facts = extract_path_facts(python, "app/paths.py", PREFIXES)
    assert [(c.span.line, c.cwd) for c in facts.cwd_paths] == [
        (3, "os.getcwd()"),
        (4, "Path.cwd()"),
        (5, "os.getcwd()"),
        (6, "os.getcwd()"),
        (7, "os.getcwd()"),
    ]
    script = (
        'const a = path.join(process.cwd(), "assets");\n'
        "const b = `${process.cwd()}/x/${y}`;\n"
        'const c = process.cwd() + "/y";\n'
        "const d = path.resolve(process.cwd(), dir);\n"
    )
    facts = extract_path_facts(script, "src/a.ts", PREFIXES)
    assert [c.expression for c in facts.cwd_paths] == [
        'path.join(process.cwd(), "assets")',
        "`${process.cwd()}/x/${y}`",
        'process.cwd() + "/y"',
    ]


def test_env_file_entries() -> None:
    text = (
        "# DATABASE_URL=ignored\n"
        "DATABASE_URL=postgres://u:p@localhost:5432/db # dev\n"
        'export X="/home/ken/a b"\n'
        "Y='multi\nline'\n"
        "EMPTY=\n"
    )
    facts = extract_env_file(text, ".env.test", PREFIXES)
    assert [(e.key, e.value, e.value_span.line, e.value_span.column) for e in facts.entries] == [
        ("DATABASE_URL", "postgres://u:p@localhost:5432/db", 2, 14),
        ("X", "/home/ken/a b", 3, 11),
        ("Y", "multi\nline", 4, 4),
        ("EMPTY", "", 6, 7),
    ]
    assert [m.text for m in facts.machine_paths] == ["/home/ken/a"]
    assert extract_env_file(text, ".env", PREFIXES, gitignored=True).machine_paths == ()


def test_test_environment_settings() -> None:
    ini = "[pytest]\naddopts = -q\nenv =\n    D:DATABASE_URL=postgresql://localhost/app\n    OTHER=1\n"
    facts = extract_path_facts(ini, "pytest.ini", PREFIXES)
    assert [(e.key, e.value, e.value_span.line) for e in facts.test_env] == [
        ("DATABASE_URL", "postgresql://localhost/app", 4),
        ("OTHER", "1", 5),
    ]
    pyproject = '[tool.pytest.ini_options]\nenv = [\n  "DATABASE_URL=sqlite:///app.db",\n]\n'
    facts = extract_path_facts(pyproject, "pyproject.toml", PREFIXES)
    assert [(e.key, e.value, e.value_span.line, e.value_span.column) for e in facts.test_env] == [
        ("DATABASE_URL", "sqlite:///app.db", 3, 17)
    ]
    conftest = 'import os\nos.environ["DATABASE_URL"] = "postgresql://localhost/app"\n'
    facts = extract_path_facts(conftest, "tests/conftest.py", PREFIXES)
    assert [(e.key, e.span.line) for e in facts.test_env] == [("DATABASE_URL", 2)]
    jest = '// process.env.DATABASE_URL = "x"\nprocess.env.DATABASE_URL = "postgres://localhost/app";\n'
    facts = extract_path_facts(jest, "jest.setup.js", PREFIXES)
    assert [(e.key, e.value, e.span.line) for e in facts.test_env] == [
        ("DATABASE_URL", "postgres://localhost/app", 2)
    ]


def test_database_identity_compares_databases_not_text() -> None:
    dev = database_identity("postgres://u:p@localhost/shop")
    assert dev == database_identity("postgresql+asyncpg://other@127.0.0.1:5432/shop")
    assert dev != database_identity("postgres://u:p@localhost:5433/shop")
    assert dev != database_identity("postgres://u:p@localhost/shop_test")
    assert database_identity("sqlite://") is None
    assert database_identity("postgres://${USER}@localhost/db") is None
    assert database_identity(expand("postgres://${U}@localhost/$DB", {"U": "u", "DB": "shop"})) == dev


def test_passwords_are_masked() -> None:
    assert mask_url("postgres://u:s3cret@h:5432/db?password=x") == "postgres://u:***@h:5432/db?password=***"
    assert mask_url("postgres://h/db") == "postgres://h/db"
    assert mask_passwords_in_text("A=mysql://root:pw@db/x\n") == "A=mysql://root:**@db/x\n"


def test_test_locations() -> None:
    assert is_test_location("tests/helpers.py")
    assert is_test_location("src/lib/jobs/__tests__/x.ts")
    assert is_test_location("app/test_models.py")
    assert is_test_location("ui/src/mocks/server.ts")
    assert not is_test_location("scripts/backup.sh")


def test_gitignored_env_files_count_for_tests_but_not_for_machine_paths(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            ".gitignore": ".env.test\n.env.local\n",
            ".env.example": "DATABASE_URL=\nREDIS_URL=\n",
            ".env.local": "DATABASE_URL=postgres://u:p@localhost/shop\nCACHE=/home/ken/cache\n",
            ".env.test": "DATABASE_URL=postgres://u:p@localhost/shop\n",
        },
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    result = run_check([root], select=["SL401", "SL403", "SL404"], use_cache=False)
    got = sorted((f.code, f.span.path, f.span.line) for f in result.findings)
    assert got == [("SL403", ".env.test", 1), ("SL404", ".env.test", 1)]
    assert all("p@" not in f.message for f in result.findings)


def test_shebang_scripts_are_read_and_suppressions_apply(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "bin/deploy": "#!/usr/bin/env bash\nrsync dist/ /home/ken/www/\n",
            "tools/paths.py": (
                'A = "/home/ken/a"  # schemalint: ignore[SL401] -- this tool runs on ken\'s box only\n'
                'B = "/home/ken/b"\n'
            ),
        },
    )
    result = run_check([root], select=["SL401"], use_cache=False)
    assert sorted((f.span.path, f.span.line) for f in result.findings) == [
        ("bin/deploy", 2),
        ("tools/paths.py", 2),
    ]
    assert [f.span.path for f in result.suppressed] == ["tools/paths.py"]


def test_machine_path_prefixes_are_configurable(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.schemalint]\nmachine-path-prefixes = ["/opt/ken/"]\n',
            "app/a.py": 'A = "/opt/ken/data/x"\nB = "/home/ken/x"\n',
        },
    )
    result = run_check([root], select=["SL401"], use_cache=False)
    assert [(f.span.line, f.data.rule_data) for f in result.findings] == [
        (1, (("path", "/opt/ken/data/x"), ("prefix", "/opt/ken/")))
    ]
