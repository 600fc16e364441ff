#!/usr/bin/env python3
"""The Spark recipe in local mode (local[2]) against one flowlens process: over the sample and a
generated dump of several plain and gzip files, `flowlens_spark.py --command C` must print the same
bytes as `flowlens C` (summary, audit and report as JSON, with and without options).

    python3 scripts/spark/test_flowlens_spark.py [FLOWLENS_BINARY]     (default .build/debug/flowlens)
"""

import gzip
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def generate(directory, files=12, records=400, seed=7):
    """A dump of default-format flow logs: S3-named objects of two flow logs, some gzip, with
    admin ports reached from the internet, scans and replies, so that every detector has work."""
    rng = random.Random(seed)
    header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    for index in range(files):
        flow_log = ["fl-0aaa111", "fl-0bbb222"][index % 2]
        lines = [header]
        for _ in range(records):
            start = 1732579200 + rng.randrange(7200)
            src = rng.choice([f"10.0.{rng.randrange(4)}.{rng.randrange(1, 40)}", f"203.0.113.{rng.randrange(1, 60)}",
                              f"45.155.205.{rng.randrange(1, 9)}"])
            dst = f"10.0.{rng.randrange(4)}.{rng.randrange(1, 40)}"
            dport = rng.choice([22, 443, 3389, 5432, 53, 8080, rng.randrange(1024, 65536)])
            sport = rng.randrange(1024, 65536) if dport < 1024 else rng.choice([443, 22, 53])
            action = rng.choice(["ACCEPT", "ACCEPT", "REJECT"])
            packets = rng.randrange(1, 50)
            lines.append(f"2 123456789012 eni-0{rng.randrange(6)}a1b2c3d4e5f6071 {src} {dst} {sport} {dport} "
                         f"{rng.choice([6, 6, 17])} {packets} {packets * rng.randrange(40, 1500)} {start} "
                         f"{start + rng.randrange(60)} {action} OK")
        text = ("\n".join(lines) + "\n").encode()
        name = f"123456789012_vpcflowlogs_us-east-1_{flow_log}_20241126T{index:02d}05Z_a1b2c3d{index % 10}.log"
        if index % 3 == 0:
            with gzip.open(os.path.join(directory, name + ".gz"), "wb") as out:
                out.write(text)
        else:
            with open(os.path.join(directory, name), "wb") as out:
                out.write(text)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/flowlens"))
    dump = tempfile.mkdtemp(prefix="flowlens-spark-dump-")
    failures = 0
    try:
        generate(dump)
        inputs = [dump, "Fixtures/sample"]  # the order of a directory walk: the order a merge lists inputs in
        cases = [
            ("summary", ["--format", "json"], []),
            ("summary", ["--format", "json", "--by", "flow-log,srcaddr", "--bucket", "5m", "--where", "action reject"],
             ["--partitions", "5"]),
            ("audit", ["--format", "json"], ["--partitions", "4"]),
            ("report", ["--format", "json", "--top", "5"], []),
            ("report", ["--format", "json", "--inventory", "Fixtures/inventory"], ["--partitions", "3"]),
        ]
        for command, options, recipe in cases:
            single = subprocess.run([binary, command] + options + inputs, cwd=ROOT, capture_output=True)
            spark = subprocess.run(
                [sys.executable, os.path.join(ROOT, "scripts/spark/flowlens_spark.py"), "--master", "local[2]",
                 "--binary", binary, "--command", command] + recipe + options + inputs,
                cwd=ROOT, capture_output=True)
            same = spark.returncode == single.returncode and spark.stdout == single.stdout
            print(f"{'ok  ' if same else 'FAIL'} {command} {' '.join(recipe + options)}: "
                  f"{len(single.stdout)} bytes, exit {single.returncode} / {spark.returncode}")
            if not same:
                failures += 1
                sys.stderr.write(spark.stderr.decode()[-3000:])
    finally:
        shutil.rmtree(dump, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
