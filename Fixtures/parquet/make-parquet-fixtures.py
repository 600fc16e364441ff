#!/usr/bin/env python3
"""Writes the Parquet fixtures the tests read, from the text records of Fixtures/sample.

    pip install pyarrow
    python3 Fixtures/parquet/make-parquet-fixtures.py

The committed files are what the tests use: CI does not need pyarrow. Each directory under
Fixtures/parquet/ (but bad/) holds one .parquet file per text file of Fixtures/sample, with the same
records in the same order, written one way:

    gzip          AWS's way: INT32/INT64/STRING columns, GZIP, dictionary pages, data page v1
    snappy, zstd, none    the same with another codec
    plain         no dictionary (PLAIN values), GZIP
    v2            data page v2, ZSTD
    small-groups  row groups of 16 rows and small pages (several row groups and pages per file), SNAPPY
    odd-types     ports and packets as strings, account_id as int64, start as timestamp[ms],
                  end as timestamp[us], protocol as uint8, version as int64, and an unknown column

A text value `-` becomes a null. bad/ holds files that must fail cleanly or count bad rows.
"""
import gzip
import os
import shutil

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "sample")

INT32 = {"version", "srcport", "dstport", "protocol", "tcp-flags", "traffic-path", "encryption-status"}
INT64 = {"packets", "bytes", "start", "end"}


def sample_files():
    """(name, header fields, rows of tokens) for each text file of the sample, in path order."""
    out = []
    for root, _, names in sorted(os.walk(SAMPLE)):
        for name in sorted(names):
            path = os.path.join(root, name)
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt") as f:
                lines = [line.rstrip("\n") for line in f if line.strip()]
            header = lines[0].split()
            assert header[0] == "version", f"{path}: expected one header line first"
            rows = [line.split() for line in lines[1:]]
            assert all(len(r) == len(header) for r in rows), path
            base = name[: -len(".gz")] if name.endswith(".gz") else name
            base = base[: -len(".log")] if base.endswith(".log") else base
            out.append((base, header, rows))
    return out


def column(field, values, odd):
    name = field.replace("-", "_")
    values = [None if v == "-" else v for v in values]
    if odd:
        if field in {"srcport", "dstport", "packets"}:
            return name, pa.array(values, pa.string())
        if field == "account-id":
            return name, pa.array([None if v is None else int(v) for v in values], pa.int64())
        if field == "start":
            return name, pa.array([None if v is None else int(v) * 1000 for v in values], pa.timestamp("ms"))
        if field == "end":
            return name, pa.array([None if v is None else int(v) * 1_000_000 for v in values], pa.timestamp("us"))
        if field == "protocol":
            return name, pa.array([None if v is None else int(v) for v in values], pa.uint8())
        if field == "version":
            return name, pa.array([None if v is None else int(v) for v in values], pa.int64())
    if field in INT32:
        return name, pa.array([None if v is None else int(v) for v in values], pa.int32())
    if field in INT64:
        return name, pa.array([None if v is None else int(v) for v in values], pa.int64())
    return name, pa.array(values, pa.string())


def table(header, rows, odd=False):
    names, arrays = [], []
    for i, field in enumerate(header):
        name, array = column(field, [r[i] for r in rows], odd)
        names.append(name)
        arrays.append(array)
    if odd:
        names.append("delivery_note")
        arrays.append(pa.array(["x"] * len(rows), pa.string()))
    return pa.table(arrays, names=names)


VARIANTS = {
    "gzip": dict(compression="gzip"),
    "snappy": dict(compression="snappy"),
    "zstd": dict(compression="zstd"),
    "none": dict(compression="none"),
    "plain": dict(compression="gzip", use_dictionary=False),
    "v2": dict(compression="zstd", data_page_version="2.0"),
    "small-groups": dict(compression="snappy", row_group_size=16, data_page_size=256),
    "odd-types": dict(compression="gzip"),
}


def write(tab, path, **options):
    pq.write_table(tab, path, **options)


def main():
    files = sample_files()
    for variant, options in VARIANTS.items():
        directory = os.path.join(HERE, variant)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        for base, header, rows in files:
            write(table(header, rows, odd=variant == "odd-types"), os.path.join(directory, base + ".parquet"), **options)

    bad = os.path.join(HERE, "bad")
    shutil.rmtree(bad, ignore_errors=True)
    os.makedirs(bad)
    base, header, rows = files[0]
    good = table(header, rows[:40])
    write(good, os.path.join(bad, "good.parquet"), compression="gzip")
    with open(os.path.join(bad, "good.parquet"), "rb") as f:
        data = f.read()
    # Cut in the middle: no footer.
    with open(os.path.join(bad, "truncated.parquet"), "wb") as f:
        f.write(data[: len(data) // 2])
    # The footer intact, the first column chunk's compressed bytes overwritten.
    corrupt = bytearray(data)
    for i in range(40, 80):
        corrupt[i] = 0x5A
    with open(os.path.join(bad, "corrupt.parquet"), "wb") as f:
        f.write(bytes(corrupt))
    # The magic of an encrypted footer.
    with open(os.path.join(bad, "encrypted-footer.parquet"), "wb") as f:
        f.write(data[:-4] + b"PARE")
    os.remove(os.path.join(bad, "good.parquet"))
    # A nested schema: a struct column and a list column.
    nested = pa.table(
        {
            "version": pa.array([2, 2], pa.int32()),
            "endpoints": pa.array([{"srcaddr": "10.0.0.1", "dstaddr": "10.0.0.2"}] * 2),
            "ports": pa.array([[1, 2], [3]], pa.list_(pa.int32())),
        }
    )
    write(nested, os.path.join(bad, "nested.parquet"))
    # Columns that name no flow log field.
    write(pa.table({"a": [1, 2], "b": ["x", "y"]}), os.path.join(bad, "not-flow-log.parquet"))
    # Rows whose values do not convert: rows 2, 3, 4, 5 (1-based) are malformed, rows 1 and 6 are records.
    odd = pa.table(
        {
            "version": pa.array([2, 2, 2, 2, 2, 2], pa.int32()),
            "srcaddr": pa.array(["10.0.0.1", "10.0.0.1", "10.0.0.x", "10.0.0.1", "10.0.0.1", "10.0.0.1"]),
            "dstaddr": pa.array(["10.0.0.2"] * 6),
            "srcport": pa.array(["443", "http", "443", "443", "443", "443"]),
            "dstport": pa.array([80, 80, 80, 70000, 80, 80], pa.int64()),
            "action": pa.array(["ACCEPT", "ACCEPT", "ACCEPT", "ACCEPT", "ACCEPT", "REJECT"]),
            "log_status": pa.array(["OK", "OK", "OK", "OK", "BAD", "OK"]),
        }
    )
    write(odd, os.path.join(bad, "unconvertible.parquet"), row_group_size=3)


if __name__ == "__main__":
    main()
