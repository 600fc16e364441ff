#!/usr/bin/env python3
"""Writes the bundled sample under Fixtures/sample/: a small `aws s3 sync` of AWSLogs/ (gzip, with
S3 header lines) and one custom-format (v5) file, plus Fixtures/sample-expected-totals.json with the counts this
script kept while writing, so tests can check flowlens against an independent count.

Deterministic: run it again and the files are byte-identical (gzip mtime fixed at 0)."""
import gzip, io, json, os, random

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sample")
rng = random.Random(20241126)
account = "123456789012"
enis = ["eni-0a1b2c3d4e5f60718", "eni-0f9e8d7c6b5a43210", "eni-0123456789abcdef0", "eni-0fedcba9876543210",
        "eni-05a5a5a5a5a5a5a5a"]
hosts = {"eni-0a1b2c3d4e5f60718": "10.0.1.10", "eni-0f9e8d7c6b5a43210": "10.0.1.20",
         "eni-0123456789abcdef0": "10.0.2.30", "eni-0fedcba9876543210": "10.0.2.40",
         "eni-05a5a5a5a5a5a5a5a": "10.0.3.50"}
corporate = ["198.51.100.%d" % i for i in (4, 17, 33)]
internet = ["203.0.113.%d" % i for i in (5, 9, 77, 140)] + ["192.0.2.%d" % i for i in (10, 200)]
scanner = "45.155.205.99"
v6_clients = ["2001:db8:100::a1", "2600:1f18:abcd:1::12"]
expected = {"records": 0, "accept": 0, "reject": 0, "nodata": 0, "skipdata": 0, "packets": 0, "bytes": 0,
            "headers": 0, "lines": 0, "malformed": 0, "blank": 0, "files": 0}
# What an audit with Fixtures/policies/corporate.yaml must report: SSH accepted from outside the
# corporate range, as (interface, source) pairs.
ssh_from_internet = set()

def v2(eni, src, dst, sport, dport, proto, pk, by, start, end, action, status="OK"):
    return " ".join(str(x) for x in ["2", account, eni, src, dst, sport, dport, proto, pk, by, start, end, action, status])

def count(action, pk, by, status="OK"):
    expected["records"] += 1
    if status == "NODATA": expected["nodata"] += 1
    if status == "SKIPDATA": expected["skipdata"] += 1
    if action == "ACCEPT": expected["accept"] += 1
    if action == "REJECT": expected["reject"] += 1
    if pk != "-": expected["packets"] += pk
    if by != "-": expected["bytes"] += by

def conversation(lines, t):
    eni = rng.choice(enis); host = hosts[eni]
    kind = rng.random()
    start = t + rng.randint(0, 240); end = start + rng.randint(1, 59)
    if kind < 0.45:   # HTTPS from the internet, both directions
        client = rng.choice(internet + v6_clients if rng.random() < 0.2 else internet)
        server = host if ":" not in client else "2600:1f18:abcd:2::%x" % (enis.index(eni) + 1)
        sport = rng.randint(32768, 60999); pk = rng.randint(3, 40); by = pk * rng.randint(60, 1400)
        lines.append(v2(eni, client, server, sport, 443, 6, pk, by, start, end, "ACCEPT")); count("ACCEPT", pk, by)
        pk2 = rng.randint(3, 40); by2 = pk2 * rng.randint(60, 1400)
        lines.append(v2(eni, server, client, 443, sport, 6, pk2, by2, start, end, "ACCEPT")); count("ACCEPT", pk2, by2)
    elif kind < 0.55:  # SSH from corporate
        src = rng.choice(corporate); sport = rng.randint(32768, 60999); pk = rng.randint(10, 90); by = pk * 120
        lines.append(v2(eni, src, host, sport, 22, 6, pk, by, start, end, "ACCEPT")); count("ACCEPT", pk, by)
    elif kind < 0.60:  # SSH from the internet, accepted: what an audit should flag
        src = rng.choice(internet); sport = rng.randint(32768, 60999); pk = rng.randint(5, 20); by = pk * 90
        lines.append(v2(eni, src, host, sport, 22, 6, pk, by, start, end, "ACCEPT")); count("ACCEPT", pk, by)
        ssh_from_internet.add((eni, src))
    elif kind < 0.75:  # a scanner probing ports, rejected
        port = rng.choice([22, 23, 445, 1433, 3306, 3389, 5432, 6379, 8080, 9200])
        lines.append(v2(eni, scanner, host, rng.randint(1024, 65535), port, 6, 1, 44, start, end, "REJECT")); count("REJECT", 1, 44)
    elif kind < 0.85:  # DNS out to the VPC resolver
        sport = rng.randint(32768, 60999); pk = 1; by = rng.randint(60, 120)
        lines.append(v2(eni, host, "10.0.0.2", sport, 53, 17, pk, by, start, end, "ACCEPT")); count("ACCEPT", pk, by)
    elif kind < 0.92:  # ping in accepted, reply rejected by a stateless NACL
        src = rng.choice(internet)
        lines.append(v2(eni, src, host, 0, 0, 1, 4, 336, start, end, "ACCEPT")); count("ACCEPT", 4, 336)
        lines.append(v2(eni, host, src, 0, 0, 1, 4, 336, start, end, "REJECT")); count("REJECT", 4, 336)
    elif kind < 0.97:  # RDP attempt, rejected
        src = rng.choice(internet)
        lines.append(v2(eni, src, host, rng.randint(1024, 65535), 3389, 6, 2, 104, start, end, "REJECT")); count("REJECT", 2, 104)
    else:
        status = "NODATA" if rng.random() < 0.8 else "SKIPDATA"
        lines.append(v2(eni, "-", "-", "-", "-", "-", "-", "-", start, end, "-", status)); count("-", "-", "-", status)

header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
day = os.path.join(root, "AWSLogs", account, "vpcflowlogs", "us-east-1", "2024", "11", "26")
os.makedirs(day, exist_ok=True)
t0 = 1732579200  # 2024-11-26T00:00:00Z
for i, slot in enumerate(["0000", "0005", "0010"]):
    lines = [header]; expected["headers"] += 1
    while len(lines) < 120:
        conversation(lines, t0 + i * 300)
    data = ("\n".join(lines) + "\n").encode()
    expected["lines"] += len(lines); expected["files"] += 1
    name = "%s_vpcflowlogs_us-east-1_fl-0abc1234def567890_20241126T%sZ_%08x.log.gz" % (account, slot, rng.getrandbits(32))
    with open(os.path.join(day, name), "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(data)

# A custom format (v5 fields, not in table order), plain text, as a Firehose/CloudWatch user might keep it.
custom = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path pkt-srcaddr pkt-dstaddr pkt-dst-aws-service"
lines = [custom]; expected["headers"] += 1
eni = "eni-0a1b2c3d4e5f60718"
for k in range(40):
    start = t0 + 900 + k * 7; end = start + 30
    pk = rng.randint(10, 400); by = pk * 1200
    if k % 4 == 0:
        lines.append("5 %s 52.216.1.%d 10.0.1.10 443 %d 6 %d %d %d %d ACCEPT OK ingress - 52.216.1.%d 10.0.1.10 -" % (eni, k, rng.randint(32768, 60999), pk, by, start, end, k))
    else:
        lines.append("5 %s 10.0.1.10 52.216.1.%d %d 443 6 %d %d %d %d ACCEPT OK egress 8 10.0.1.10 52.216.1.%d S3" % (eni, k, rng.randint(32768, 60999), pk, by, start, end, k))
    count("ACCEPT", pk, by)
data = ("\n".join(lines) + "\n").encode()
expected["lines"] += len(lines); expected["files"] += 1
with open(os.path.join(root, "custom-v5.log"), "wb") as f:
    f.write(data)

expected["ssh_from_internet"] = sorted([list(pair) for pair in ssh_from_internet])
with open(os.path.join(root, os.pardir, "sample-expected-totals.json"), "w") as f:
    json.dump(expected, f, indent=2, sort_keys=True); f.write("\n")
print(json.dumps(expected, sort_keys=True))
