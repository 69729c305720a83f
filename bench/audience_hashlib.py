"""The baseline of bench/audience.ts: what a campaign's data person would script to hash a
list of already-normalized identifiers with Python's hashlib (issue 5, item 7).

    python3 bench/audience_hashlib.py IDENTIFIERS [OUTPUT]

Reads IDENTIFIERS (one normalized identifier per line, UTF-8) and computes
hashlib.sha256(identifier).hexdigest() for each line. With OUTPUT, also writes each digest
on a line of OUTPUT (the list a user would then upload); without it, only hashes.
Prints one JSON line: identifiers, seconds (the loop, file reading and writing included),
and the process's peak resident memory in KiB (VmHWM of /proc/self/status, which starts afresh
at exec; getrusage's ru_maxrss would include the forking parent's on Linux).
"""

import hashlib
import json
import resource
import sys
import time


def peak_rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    source = sys.argv[1]
    output = sys.argv[2] if len(sys.argv) > 2 else None
    sha256 = hashlib.sha256
    count = 0
    start = time.perf_counter()
    with open(source, "rb") as lines:
        if output is None:
            for line in lines:
                sha256(line.rstrip(b"\n")).hexdigest()
                count += 1
        else:
            with open(output, "w", encoding="ascii") as out:
                for line in lines:
                    out.write(sha256(line.rstrip(b"\n")).hexdigest() + "\n")
                    count += 1
    seconds = time.perf_counter() - start
    peak = peak_rss_kib()
    print(json.dumps({"identifiers": count, "seconds": seconds, "maxRssKiB": peak}))


if __name__ == "__main__":
    main()
