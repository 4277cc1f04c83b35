"""Checks the packages scripts/package.sh built into $DEGREED_DIST, as their registries and
users would see them: the crate, the Python sdist and wheels, the npm tarball. Each carries
both licences; the wheel installs into a fresh venv and works; the tags are the ones PyPI
accepts; every locked dependency of the crate builds with its declared rust-version.

Run by scripts/package.sh (``DEGREED_ALL_WHEELS=1`` when it also built the aarch64 and
musllinux wheels); not part of the bindings-python suite, which tests the code, not packages.
"""

from __future__ import annotations

import email
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import textwrap
import tomllib
import zipfile
from email.message import Message
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIST = Path(os.environ.get("DEGREED_DIST", ROOT / "target" / "dist"))
ALL_WHEELS = os.environ.get("DEGREED_ALL_WHEELS") == "1"
WORKSPACE = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]
VERSION: str = WORKSPACE["version"]
MSRV: str = WORKSPACE["rust-version"]
LICENCES = {name: (ROOT / name).read_bytes() for name in ("LICENSE-MIT", "LICENSE-APACHE")}
LICENSE_EXPRESSION = "MIT OR Apache-2.0"

# (target, wheel platform tags, ELF e_machine): manylinux2014 = glibc 2.17, musllinux 1.2.
WHEELS: List[Tuple[str, List[str], int]] = [
    ("x86_64-manylinux", ["manylinux2014_x86_64", "manylinux_2_17_x86_64"], 62),
]
if ALL_WHEELS:
    WHEELS += [
        ("aarch64-manylinux", ["manylinux2014_aarch64", "manylinux_2_17_aarch64"], 183),
        ("x86_64-musllinux", ["musllinux_1_2_x86_64"], 62),
        ("aarch64-musllinux", ["musllinux_1_2_aarch64"], 183),
    ]


def one(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST}, found {[p.name for p in found]}"
    return found[0]


def wheel_path(platforms: List[str]) -> Path:
    return one(f"degreed-{VERSION}-cp39-abi3-{'.'.join(platforms)}.whl")


def version_key(v: str) -> Tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


# --- the wheels ---------------------------------------------------------------------------


@pytest.mark.parametrize("name,platforms,machine", WHEELS, ids=[w[0] for w in WHEELS])
def test_wheel_tags_licences_and_a_stripped_native_module(
    name: str, platforms: List[str], machine: int, tmp_path: Path
) -> None:
    with zipfile.ZipFile(wheel_path(platforms)) as whl:
        info = f"degreed-{VERSION}.dist-info"
        wheel = email.message_from_bytes(whl.read(f"{info}/WHEEL"))
        assert wheel["Root-Is-Purelib"] == "false"
        assert sorted(wheel.get_all("Tag")) == sorted(f"cp39-abi3-{p}" for p in platforms)
        for licence, text in LICENCES.items():
            assert whl.read(f"{info}/licenses/{licence}") == text
        native = [n for n in whl.namelist() if re.fullmatch(r"degreed/_native\..*so", n)]
        assert native == ["degreed/_native.abi3.so"]
        so = tmp_path / "_native.so"
        so.write_bytes(whl.read(native[0]))
    elf = so.read_bytes()
    assert elf[:4] == b"\x7fELF" and int.from_bytes(elf[18:20], "little") == machine
    sections = subprocess.run(
        ["readelf", "-S", "-W", str(so)], check=True, capture_output=True, text=True
    ).stdout
    assert ".symtab" not in sections and ".debug_" not in sections, "the module is not stripped"
    if "manylinux" in name:
        # manylinux2014 promises nothing newer than glibc 2.17 (the old wheel needed 2.34).
        versions = subprocess.run(
            ["readelf", "-V", "-W", str(so)], check=True, capture_output=True, text=True
        ).stdout
        glibc = {tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_([0-9.]+)", versions)}
        assert glibc and max(glibc) <= (2, 17), f"needs glibc {max(glibc)}"


def test_wheel_metadata_is_what_pypi_shows() -> None:
    with zipfile.ZipFile(wheel_path(WHEELS[0][1])) as whl:
        meta = email.message_from_bytes(whl.read(f"degreed-{VERSION}.dist-info/METADATA"))
    check_python_metadata(meta)


def check_python_metadata(meta: Message) -> None:
    assert meta["Name"] == "degreed" and meta["Version"] == VERSION
    assert meta["License-Expression"] == LICENSE_EXPRESSION
    assert sorted(meta.get_all("License-File")) == sorted(LICENCES)
    assert meta["Requires-Python"] == ">=3.9"
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Repository", "Issues", "Documentation"} <= set(urls)
    classifiers = meta.get_all("Classifier")
    assert "Typing :: Typed" in classifiers and "Programming Language :: Rust" in classifiers
    # PEP 639: a licence expression replaces the licence classifiers.
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert meta["Description-Content-Type"].startswith("text/markdown")
    # The PyPI page opens with how to install.
    readme = meta.get_payload()
    assert isinstance(readme, str)
    first_block = re.search(r"```\w*\n(.*?)```", readme, re.S)
    assert first_block and first_block.group(1).startswith("pip install degreed"), readme[:300]


def test_the_wheel_installs_into_a_fresh_venv_and_works(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    wheel = wheel_path(WHEELS[0][1])
    # pip refuses a wheel whose tags this interpreter and platform do not support.
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check", str(wheel)],
        check=True,
    )
    code = textwrap.dedent(
        """
        import json, degreed
        from importlib.metadata import distribution
        print(json.dumps({
            "file": degreed.__file__,
            "version": degreed.__version__,
            "scopes": sorted(map(str, degreed.minimal_scopes(["users.list", "users.create"]))),
            "licences": sorted(str(f) for f in distribution("degreed").files if "licenses" in str(f)),
        }))
        """
    )
    # From an empty directory, so the source tree cannot be imported instead.
    out = subprocess.run([py, "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path)
    got = json.loads(out.stdout)
    assert got["file"].startswith(str(venv)), got["file"]
    assert got["version"] == VERSION
    assert got["scopes"] == ["users:write"]
    assert [Path(f).name for f in got["licences"]] == ["LICENSE-APACHE", "LICENSE-MIT"]
    # The console script is installed too.
    help_text = subprocess.run(
        [venv / "bin" / "degreed", "--help"], check=True, capture_output=True, text=True
    ).stdout
    assert "usage" in help_text.lower()


# --- the sdist ----------------------------------------------------------------------------


def test_sdist_has_licences_metadata_and_the_whole_rust_workspace() -> None:
    top = f"degreed-{VERSION}"
    with tarfile.open(one(f"degreed-{VERSION}.tar.gz")) as sdist:
        names = set(sdist.getnames())

        def read(name: str) -> bytes:
            member = sdist.extractfile(f"{top}/{name}")
            assert member is not None, name
            return member.read()

        for licence, text in LICENCES.items():
            assert read(licence) == text
        check_python_metadata(email.message_from_bytes(read("PKG-INFO")))
    # What `pip install degreed-X.tar.gz` needs to build: the binding, the core and the lock.
    for needed in ("pyproject.toml", "Cargo.toml", "Cargo.lock", "bindings-python/Cargo.toml",
                   "bindings-python/src/lib.rs", "core/Cargo.toml", "core/src/lib.rs",
                   "python/degreed/__init__.py", "python/degreed/py.typed"):
        assert f"{top}/{needed}" in names, needed


# --- the crate ----------------------------------------------------------------------------


def test_crate_has_licences_readme_and_crates_io_metadata() -> None:
    with tarfile.open(one(f"degreed-{VERSION}.crate")) as crate:
        top = f"degreed-{VERSION}"

        def read(name: str) -> bytes:
            member = crate.extractfile(f"{top}/{name}")
            assert member is not None, name
            return member.read()

        for licence, text in LICENCES.items():
            assert read(licence) == text
        assert read("README.md").startswith(b"# degreed")
        manifest = tomllib.loads(read("Cargo.toml").decode())
    package = manifest["package"]
    assert package["license"] == LICENSE_EXPRESSION
    assert package["rust-version"] == MSRV
    for key in ("description", "repository", "homepage", "documentation", "readme"):
        assert package.get(key), key
    assert 1 <= len(package["keywords"]) <= 5 and package["categories"]
    assert package["metadata"]["docs"]["rs"]["all-features"] is True
    features = manifest["features"]
    assert features["ureq"] == ["dep:ureq"] and features["blocking"] == ["ureq"]
    # No TLS crypto provider forced on the application.
    assert "rustls" not in manifest.get("dependencies", {})


def test_no_locked_dependency_needs_a_newer_rust_than_declared() -> None:
    """Every crate `degreed` builds with (normal and build dependencies, all features, all
    platforms) declares a rust-version no newer than ours. package.sh also builds it with that
    compiler; this names the culprit when a dependency update raises the floor."""
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--all-features"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout)
    packages: Dict[str, dict] = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    (root,) = [i for i, p in packages.items() if p["name"] == "degreed" and p["source"] is None]
    seen, todo = set(), [root]
    while todo:
        for dep in nodes[todo.pop()]["deps"]:
            if dep["pkg"] not in seen and any(k["kind"] in (None, "build") for k in dep["dep_kinds"]):
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    assert len(seen) > 20  # the drivers' trees are in
    too_new = sorted(
        f"{packages[i]['name']} {packages[i]['version']} needs {packages[i]['rust_version']}"
        for i in seen
        if packages[i].get("rust_version")
        and version_key(packages[i]["rust_version"])[:2] > version_key(MSRV)[:2]
    )
    assert not too_new, f"rust-version {MSRV} is not true: {too_new}"


# --- the npm tarball ----------------------------------------------------------------------


def npm_files() -> Tuple[dict, Dict[str, bytes]]:
    with tarfile.open(one(f"degreed-{VERSION}.tgz")) as tgz:
        files = {}
        for m in tgz.getmembers():
            if m.isfile():
                f = tgz.extractfile(m)
                assert f is not None
                files[m.name.removeprefix("package/")] = f.read()
    return json.loads(files["package.json"]), files


def export_targets(node: object) -> List[str]:
    if isinstance(node, str):
        return [node]
    assert isinstance(node, dict)
    return [t for v in node.values() for t in export_targets(v)]


def test_npm_tarball_has_licences_typings_wasm_and_every_export_target() -> None:
    manifest, files = npm_files()
    for licence, text in LICENCES.items():
        assert files[licence] == text
    assert manifest["version"] == VERSION and manifest["license"] == LICENSE_EXPRESSION
    assert manifest["homepage"] and manifest["bugs"]["url"] and manifest["repository"]["url"]
    # The suite runs Node 20: the package promises no older one.
    assert manifest["engines"]["node"] == ">=20"
    for needed in ("README.md", "index.d.ts", "degreed_wasm_bg.wasm", "degreed_wasm.js", "client.js"):
        assert needed in files, needed
    conditions = manifest["exports"]["."]
    assert {"types", "node", "browser", "workerd", "worker", "deno", "default"} <= set(conditions)
    targets = export_targets(manifest["exports"]) + [manifest["main"], manifest["types"]]
    missing = [t for t in targets if t.removeprefix("./") not in files]
    assert not missing, f"export targets not in the tarball: {missing}"
    # The worker entries load without top-level await or a fetch of a URL at import time.
    for cond in ("workerd", "worker", "deno"):
        src = files[conditions[cond].removeprefix("./")].decode()
        code = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith("//"))
        assert "await " not in code and "fetch(" not in code, cond


def test_npm_tarball_loads_under_each_runtime_condition(tmp_path: Path) -> None:
    """Installs the tarball as node_modules/degreed and imports `degreed` under the node,
    workerd and deno conditions. Node stands in for the other runtimes: a loader hook gives
    `.wasm` imports the value workerd (wrangler) gives them, a WebAssembly.Module (Deno runs
    node.js, as Node does)."""
    subprocess.run(["npm", "install", "-q", "--no-audit", "--no-fund", "--no-save",
                    str(one(f"degreed-{VERSION}.tgz"))], cwd=tmp_path, check=True,
                   capture_output=True)
    (tmp_path / "wasm-loader.mjs").write_text(textwrap.dedent(
        """
        import { readFileSync } from 'node:fs';
        import { fileURLToPath } from 'node:url';
        export async function load(url, context, next) {
          if (!url.endsWith('.wasm')) return next(url, context);
          const bytes = JSON.stringify([...readFileSync(fileURLToPath(url))]);
          return { format: 'module', shortCircuit: true,
                   source: `export default new WebAssembly.Module(new Uint8Array(${bytes}));` };
        }
        """))
    (tmp_path / "register.mjs").write_text(
        "import { register } from 'node:module';\n"
        "register('./wasm-loader.mjs', import.meta.url);\n")
    probe = ("import { Client, minimalScopes } from 'degreed';"
             "const c = new Client({ clientId: 'a', clientSecret: 'b', baseUrl: 'http://127.0.0.1:9' });"
             "console.log(JSON.stringify(minimalScopes(['users.list'])), typeof c.users.list);")
    for cond in ("node", "workerd", "deno"):
        run = subprocess.run(
            ["node", "--import", "./register.mjs", f"--conditions={cond}", "--input-type=module",
             "-e", probe],
            cwd=tmp_path, capture_output=True, text=True,
        )
        assert run.returncode == 0, f"--conditions={cond}: {run.stderr}"
        assert run.stdout.strip() == '["users:read"] function', (cond, run.stdout)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
