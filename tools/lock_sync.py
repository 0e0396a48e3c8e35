"""Makes the running virtualenv hold exactly what a lock file names (`make install` runs it after installing the
lock; pip has no sync). Every installed distribution the lock does not name is uninstalled: one an older pyproject
asked for (Locust, now in build/bench-venv) or one installed by hand. A leftover is not harmless: jaxlib 0.4.30 left
beside the locked jax 0.4.29 makes `import tensorflow` fail ("jaxlib version 0.4.30 is newer than and incompatible
with jax version 0.4.29"). The project itself stays.

Run: python -m tools.lock_sync requirements/test.txt
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path
from typing import Iterable

from packaging.utils import canonicalize_name

OURS = "huiqi-assistant"


def locked_names(lock_text: str) -> set[str]:
    """The canonical names a pip requirements file pins (`name==version` at the start of a line)."""
    return {canonicalize_name(m) for m in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==", lock_text,
                                                     flags=re.M)}


def leftovers(installed: Iterable[str], locked: set[str]) -> list[str]:
    return sorted({canonicalize_name(name) for name in installed} - locked - {OURS})


def installed_here() -> list[str]:
    """Names of the distributions in this environment's site-packages (not whatever else is on sys.path)."""
    paths = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    return [d.metadata["Name"] or "" for d in metadata.distributions(path=paths)]


def main(argv: list[str] | None = None) -> int:
    lock = Path((argv if argv is not None else sys.argv[1:])[0])
    extra = leftovers(installed_here(), locked_names(lock.read_text(encoding="utf-8")))
    if not extra:
        return 0
    print(f"==> 移除锁文件 {lock} 之外的包：{' '.join(extra)}")
    return subprocess.run([sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *extra]).returncode


if __name__ == "__main__":
    sys.exit(main())
