"""The manylinux platform tag of a Linux binary, derived from what it needs; run by scripts/wheel.sh.

    python3 scripts/manylinux.py tag BINARY          # prints e.g. manylinux_2_34_x86_64
    python3 scripts/manylinux.py audit WHEEL TAG     # auditwheel show must report TAG's level

`tag` reads the binary's dynamic section and version needs (`readelf -d`, `readelf -V`) and
fails, saying why, unless the binary may carry a manylinux tag (PEP 600): it needs only libraries
from the list below (glibc's, libstdc++ and libgcc_s; everything else linked statically), and no
GLIBC_PRIVATE. The tag is manylinux_2_X with X the highest GLIBC_2.X the binary requires, raised
where its GLIBCXX_/CXXABI_/GCC_ versions first appear in a later manylinux policy (the tables
below: auditwheel 6.8.2's policy for x86_64), plus the legacy alias of manylinux_2_5/12/17
(manylinux1/2010/2014) when X is one of those.

`audit` runs `auditwheel show` (python3 -m auditwheel, else the one on PATH) and fails unless it
reports the same manylinux_2_X level as TAG; exit code 2 when auditwheel is not there.
"""
import re
import shutil
import subprocess
import sys

# The libraries a manylinux binary may need (a subset of the policy's: glibc's own, libstdc++,
# libgcc_s; the policy's X11/GL/glib entries are of no use to axiomc and stay out).
ALLOWED = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libstdc++.so.6",
           "libgcc_s.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
# For each version, the lowest manylinux_2_X whose policy admits it (auditwheel 6.8.2,
# policy/manylinux-policy.json, x86_64).
FIRST = {
    "GLIBCXX": {"3.4": 5, "3.4.1": 5, "3.4.2": 5, "3.4.3": 5, "3.4.4": 5, "3.4.5": 5, "3.4.6": 5, "3.4.7": 5,
                "3.4.8": 5, "3.4.9": 12, "3.4.10": 12, "3.4.11": 12, "3.4.12": 12, "3.4.13": 12, "3.4.14": 17,
                "3.4.15": 17, "3.4.16": 17, "3.4.17": 17, "3.4.18": 17, "3.4.19": 17, "3.4.20": 24, "3.4.21": 24,
                "3.4.22": 24, "3.4.23": 27, "3.4.24": 27, "3.4.25": 31, "3.4.26": 31, "3.4.27": 31, "3.4.28": 31,
                "3.4.29": 34, "3.4.30": 35, "3.4.31": 39, "3.4.32": 39, "3.4.33": 39},
    "CXXABI": {"1.3": 5, "1.3.1": 5, "1.3.2": 12, "1.3.3": 12, "1.3.4": 17, "1.3.5": 17, "1.3.6": 17, "1.3.7": 17,
               "TM_1": 17, "1.3.8": 24, "1.3.9": 24, "1.3.10": 24, "FLOAT128": 24, "1.3.11": 27, "1.3.12": 31,
               "1.3.13": 34, "1.3.14": 39, "1.3.15": 39},
    "GCC": {"3.0": 5, "3.3": 5, "3.3.1": 5, "3.4": 5, "3.4.2": 5, "3.4.4": 5, "4.0.0": 5, "4.2.0": 5, "4.3.0": 12,
            "4.7.0": 17, "4.8.0": 17, "7.0.0": 27, "12.0.0": 35, "13.0.0": 39, "14.0.0": 39},
}
ALIASES = {5: "manylinux1", 12: "manylinux2010", 17: "manylinux2014"}
ARCH = {"Advanced Micro Devices X86-64": "x86_64", "AArch64": "aarch64"}


def fail(message):
    sys.exit(f"manylinux: {message}")


def readelf(*args):
    try:
        return subprocess.run(["readelf", "--wide", *args], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        fail(f"readelf {' '.join(args)} failed ({e}); install binutils")


def needs(binary):
    """(arch, NEEDED libraries, {library: [version names]}) of an ELF binary."""
    machine = re.search(r"Machine:\s+(.+)", readelf("-h", binary))
    arch = ARCH.get(machine.group(1).strip()) if machine else None
    if arch is None:
        fail(f"{binary}: not an x86_64 or aarch64 ELF binary")
    dynamic = readelf("-d", binary)
    if "There is no dynamic section" in dynamic:
        return arch, [], {}
    libraries = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)
    versions, current = {}, None
    in_needs = False
    for line in readelf("-V", binary).splitlines():
        if line.startswith("Version needs section"):
            in_needs = True
        elif line.startswith("Version") and "section" in line:
            in_needs = False
        elif in_needs:
            file = re.search(r"File: (\S+)", line)
            name = re.search(r"Name: (\S+)", line)
            if file:
                current = file.group(1)
                versions.setdefault(current, [])
            elif name and current:
                versions[current].append(name.group(1))
    return arch, libraries, versions


def tag(binary):
    arch, libraries, versions = needs(binary)
    problems = [f"needs {lib}, which manylinux does not allow (link it statically)"
                for lib in libraries if lib not in ALLOWED]
    x, why = 5, "no GLIBC version"
    glibc = 0
    for lib, names in sorted(versions.items()):
        for name in names:
            prefix, _, version = name.partition("_")
            if name == "GLIBC_PRIVATE":
                problems.append(f"needs GLIBC_PRIVATE from {lib}")
            elif prefix == "GLIBC" and re.fullmatch(r"2\.\d+(\.\d+)?", version):
                minor = int(version.split(".")[1])
                glibc = max(glibc, minor)
                if minor > x:
                    x, why = minor, f"{name} from {lib}"
            elif prefix in FIRST:
                if version not in FIRST[prefix]:
                    problems.append(f"needs {name} from {lib}, which no manylinux policy here admits")
                elif FIRST[prefix][version] > x:
                    x, why = FIRST[prefix][version], f"{name} from {lib}"
    if problems:
        fail(f"{binary} cannot carry a manylinux tag:\n  " + "\n  ".join(problems))
    platform = f"manylinux_2_{x}_{arch}"
    if x in ALIASES:
        platform += f".{ALIASES[x]}_{arch}"
    print(f"manylinux: {binary}: {', '.join(libraries) or 'no shared libraries'}; highest GLIBC_2.{glibc}; "
          f"manylinux_2_{x} because of {why}", file=sys.stderr)
    print(platform)


def audit(wheel, platform):
    want = re.match(r"manylinux_2_(\d+)_", platform)
    if not want:
        fail(f"{platform} is not a manylinux_2_X tag")
    if subprocess.run([sys.executable, "-c", "import auditwheel"], capture_output=True).returncode == 0:
        command = [sys.executable, "-m", "auditwheel"]
    elif shutil.which("auditwheel"):
        command = ["auditwheel"]
    else:
        print(f"manylinux: {sys.executable} has no auditwheel and none is on PATH", file=sys.stderr)
        sys.exit(2)
    done = subprocess.run([*command, "show", wheel], capture_output=True, text=True)
    report = " ".join((done.stdout + done.stderr).split())
    print(f"manylinux: auditwheel show: {report}", file=sys.stderr)
    got = re.search(r'consistent with the following platform tag: "?manylinux_2_(\d+)_', report)
    if done.returncode != 0 or not got:
        fail(f"auditwheel show could not confirm {wheel} (exit {done.returncode}); see its report above")
    if got.group(1) != want.group(1):
        fail(f"auditwheel says manylinux_2_{got.group(1)}, the wheel is tagged {platform}")
    print(f"manylinux: auditwheel agrees: manylinux_2_{got.group(1)}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "tag":
        tag(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "audit":
        audit(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
