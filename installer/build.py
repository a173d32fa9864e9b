"""Build the one-folder app for this system with PyInstaller and say where and how big.

    python installer/build.py [--dist DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args()
    result = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                             "--log-level", "WARN", "--distpath", str(args.dist),
                             "--workpath", str(args.work), str(ROOT / "installer" /
                                                              "pointbreak.spec")])
    if result.returncode != 0:
        return result.returncode
    app = args.dist / ("Pointbreak.app" if sys.platform == "darwin" else "Pointbreak")
    print(f"built {app} ({folder_size(app) / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
