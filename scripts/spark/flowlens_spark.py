#!/usr/bin/env python3
"""Runs flowlens on Apache Spark: the inputs spread over executors, one partial result per
partition (`flowlens COMMAND --partial`), merged on the driver with `flowlens merge`.

    python3 scripts/spark/flowlens_spark.py [--master URL] [--binary PATH] [--partitions N]
        --command summary|audit|report [flowlens options...] INPUT...

prints exactly what `flowlens COMMAND [options] INPUT...` prints in one process. INPUT is a local
file or directory (local mode, or a filesystem every executor mounts) or a Hadoop URI
(`s3a://bucket/prefix/`, `hdfs://...`), listed recursively on the driver with Spark's own
filesystem layer. Executors read the objects with Spark (`binaryFiles`) and stage them in a
scratch directory under the same relative name, so flowlens names them as one run would; an
absolute local path that exists on the executor is read in place. The flowlens binary, the
policy file and the inventory (`--inventory`, a file or a directory) are shipped with `SparkFiles`;
build the binary with `--static-swift-stdlib` for executors without a Swift runtime (README:
"Running on a cluster").

Options the recipe does not know go to flowlens: output options (--format, -o, --fail-on) and
--strict/--allow-empty/--quiet to `flowlens merge`, the others to every partial run; --inventory to
both (the merge checks the partials were made with the same inventory, and renders with it).
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from urllib.parse import urlparse

# flowlens options that take a value (every other option is a flag).
VALUE_OPTIONS = {
    "--format", "--top", "--source-prefix", "--source-prefix6", "--source-capacity", "--by", "--by-capacity",
    "--sort", "--bucket", "--log-format", "--where", "--since", "--until", "--jobs", "--max-line-length",
    "--policy", "--findings-per-rule", "--fail-on", "-o", "--output", "--networks", "--inventory",
}
# Options that shape the output of the merge rather than what a partial counts.
MERGE_VALUE_OPTIONS = {"--format", "--fail-on", "-o", "--output"}
MERGE_FLAGS = {"--strict", "--allow-empty", "--quiet", "-q"}


def fail(message):
    sys.stderr.write(f"flowlens_spark: {message}\n")
    sys.exit(2)


def parse(argv):
    """Splits the command line into the recipe's options, flowlens's (for partials and for the
    merge) and the inputs."""
    recipe = {"master": None, "binary": None, "partitions": None, "command": None}
    partial_options, merge_options, inputs, policy, inventory = [], [], [], None, None
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in ("--master", "--binary", "--partitions", "--command"):
            value = inline if eq else (argv[i + 1] if i + 1 < len(argv) else fail(f"{name} needs a value"))
            recipe[name[2:]] = value
            i += 1 if eq else 2
            continue
        if arg == "--":
            inputs += argv[i + 1:]
            break
        if arg.startswith("-") and arg != "-":
            if name in VALUE_OPTIONS:
                value = inline if eq else (argv[i + 1] if i + 1 < len(argv) else fail(f"{name} needs a value"))
                i += 1 if eq else 2
                if name in MERGE_VALUE_OPTIONS:
                    merge_options += [name, value]
                elif name == "--policy":
                    policy = value
                elif name == "--inventory":
                    inventory = value
                else:
                    partial_options += [name, value]
            else:
                (merge_options if name in MERGE_FLAGS else partial_options).append(arg)
                i += 1
            continue
        if arg == "-":
            fail("standard input cannot be spread over executors: give files, directories or URIs")
        inputs.append(arg)
        i += 1
    if recipe["command"] not in ("summary", "audit", "report"):
        fail("--command summary|audit|report is required")
    if not inputs:
        fail("give at least one INPUT (file, directory or URI)")
    return recipe, partial_options, merge_options, inputs, policy, inventory


def is_uri(path):
    scheme = urlparse(path).scheme
    return len(scheme) > 1 and scheme != "file"


def key(uri_or_path):
    """A form of a file's name that the listing and Spark's `binaryFiles` agree on."""
    parsed = urlparse(uri_or_path)
    if parsed.scheme in ("", "file"):
        return ("file", "", os.path.normpath(os.path.abspath(parsed.path)))
    return (parsed.scheme, parsed.netloc, os.path.normpath(parsed.path))


def list_local(path, found):
    """Expands a local INPUT as flowlens does: a directory recursively, names sorted at each level,
    hidden names and Parquet objects left out; found as (name flowlens prints, URI)."""
    if os.path.isdir(path):
        base = path if path.endswith("/") else path + "/"
        for name in sorted(os.listdir(path)):
            child = base + name
            if name.startswith(".") or (not os.path.isdir(child) and name.endswith(".parquet")):
                continue
            if os.path.isdir(child) or os.path.isfile(child):
                list_local(child, found)
    elif os.path.isfile(path):
        found.append((path, "file://" + os.path.abspath(path)))
    else:
        fail(f"{path}: no such file or directory")


def list_uri(spark, uri, found):
    """Lists a Hadoop URI recursively with Spark's filesystem layer (hidden and `_` names left out)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    names = []
    files = fs.listFiles(path, True)
    while files.hasNext():
        status = files.next()
        name = status.getPath().getName()
        if name.startswith(".") or name.startswith("_") or name.endswith(".parquet"):
            continue
        names.append(status.getPath().toString())
    found += [(name, name) for name in sorted(names, key=lambda n: n.split("/"))]


def run_partition(rows, binary_name, command, options, names, policy, policy_name, inventory, inventory_name):
    """Runs `flowlens COMMAND --partial` over one partition's objects; yields the state's bytes."""
    from pyspark import SparkFiles

    rows = list(rows)
    if not rows:
        return
    binary = SparkFiles.get(binary_name)
    os.chmod(binary, os.stat(binary).st_mode | stat.S_IXUSR)
    scratch = tempfile.mkdtemp(prefix="flowlens-spark-")
    try:
        stage = os.path.join(scratch, "in")
        os.makedirs(stage)
        arguments = []
        for uri, content in rows:
            name = names[key(uri)]
            if os.path.isabs(name) and os.path.isfile(name) and os.path.getsize(name) == len(content):
                arguments.append(name)  # local mode or a shared filesystem: read in place
                continue
            target = os.path.join(stage, name.lstrip("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(content)
            arguments.append(name.lstrip("/"))
        extra = []
        if policy is not None:
            if os.path.isabs(policy) and os.path.isfile(policy):
                extra = ["--policy", policy]
            else:
                target = os.path.join(stage, policy.lstrip("/"))
                os.makedirs(os.path.dirname(target) or stage, exist_ok=True)
                shutil.copyfile(SparkFiles.get(policy_name), target)
                extra = ["--policy", policy.lstrip("/")]
        if inventory is not None:
            # Where it is, or the shipped copy: a state records the inventory's contents, not its path.
            in_place = os.path.isabs(inventory) and os.path.exists(inventory)
            shipped = inventory if in_place else SparkFiles.get(inventory_name)
            extra += ["--inventory", shipped]
        state = os.path.join(scratch, "partial.state")
        done = subprocess.run(
            [binary, command, "--partial", state, "--quiet"] + extra + options + ["--"] + sorted(
                arguments, key=lambda n: n.split("/")),
            cwd=stage, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Exit 2 with a state written is an input error the state records; the merge reports it.
        if not os.path.isfile(state) or os.path.getsize(state) == 0:
            raise RuntimeError(f"flowlens {command} --partial failed ({done.returncode}): {done.stderr.decode()}")
        with open(state, "rb") as f:
            yield f.read()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv):
    recipe, partial_options, merge_options, inputs, policy, inventory = parse(argv)
    inventory_options = ["--inventory", inventory] if inventory is not None else []
    binary = recipe["binary"] or shutil.which("flowlens") or ".build/release/flowlens"
    if not os.path.isfile(binary):
        fail(f"no flowlens binary at {binary} (--binary PATH)")
    binary = os.path.abspath(binary)

    from pyspark.sql import SparkSession

    # Spark's own notes and progress bars would mix with flowlens's diagnostics on standard error.
    quiet_log = tempfile.NamedTemporaryFile("w", suffix=".properties", prefix="flowlens-spark-log4j2-", delete=False)
    quiet_log.write("rootLogger.level = error\nrootLogger.appenderRef.stderr.ref = console\n"
                    "appender.console.type = Console\nappender.console.name = console\n"
                    "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
                    "appender.console.layout.pattern = spark: %p %c{1}: %m%n\n")
    quiet_log.close()
    builder = (SparkSession.builder.appName("flowlens " + recipe["command"])
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={quiet_log.name}")
               .config("spark.executor.extraJavaOptions", f"-Dlog4j.configurationFile={quiet_log.name}"))
    if recipe["master"]:
        builder = builder.master(recipe["master"])
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        found = []
        for path in inputs:
            (list_uri(spark, path, found) if is_uri(path) else list_local(path, found))
        if not found:
            # Nothing to spread: one process gives the answer (and the message about it).
            done = subprocess.run([binary, recipe["command"]] + partial_options + merge_options + (
                ["--policy", policy] if policy else []) + inventory_options + inputs)
            return done.returncode
        context = spark.sparkContext
        context.addFile(binary)
        policy_name = None
        if policy is not None:
            if not os.path.isfile(policy):
                fail(f"{policy}: no such policy file")
            context.addFile(os.path.abspath(policy))
            policy_name = os.path.basename(policy)
        inventory_name = None
        if inventory is not None:
            if not os.path.exists(inventory):
                fail(f"{inventory}: no such inventory file or directory")
            context.addFile(os.path.abspath(inventory), recursive=os.path.isdir(inventory))
            inventory_name = os.path.basename(os.path.normpath(os.path.abspath(inventory)))
        names = {key(uri): name for name, uri in found}
        objects = context.binaryFiles(",".join(uri for _, uri in found))
        if recipe["partitions"]:
            # Spark packs small objects into few partitions; --partitions spreads them (a shuffle).
            objects = objects.repartition(int(recipe["partitions"]))
        command, binary_name = recipe["command"], os.path.basename(binary)
        states = objects.mapPartitions(
            lambda rows: run_partition(
                rows, binary_name, command, partial_options, names, policy, policy_name, inventory, inventory_name)
        ).collect()
    finally:
        spark.stop()
        os.unlink(quiet_log.name)
    with tempfile.TemporaryDirectory(prefix="flowlens-spark-merge-") as directory:
        paths = []
        for index, state in enumerate(states):
            path = os.path.join(directory, f"{index}.state")
            with open(path, "wb") as f:
                f.write(state)
            paths.append(path)
        return subprocess.run([binary, "merge"] + merge_options + inventory_options + paths).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
