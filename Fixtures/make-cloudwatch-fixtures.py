#!/usr/bin/env python3
"""Writes Fixtures/cloudwatch/: the records of the bundled sample (Fixtures/sample/AWSLogs, v2 text)
in every CloudWatch Logs JSON form flowlens reads, plus the same records as plain text, so that tests
can check that each form gives the same answers as the text. Also writes
Fixtures/cloudwatch-expected.json with what the odd fixtures hold, counted here while writing them
(an oracle independent of flowlens; kept outside the directory, which is read whole in tests).

  records.log                 the records as text, in sample order (no header line: v2 is the default)
  subscription-payload.gz     one CloudWatch Logs subscription payload (DATA_MESSAGE) with every record
  control-message.gz          a CONTROL_MESSAGE payload (what a subscription sends to check its destination)
  firehose-object.gz          what Firehose writes to S3: payloads of 50 events, each its own gzip member
  filter-log-events.json      `aws logs filter-log-events` output, two pages appended to one file
  get-log-events.json         `aws logs get-log-events` output
  truncated.json              filter-log-events output cut off inside an event
  odd-messages.json           escaped and unicode messages, and malformed ones

Deterministic: run it again and the files are byte-identical (gzip mtime fixed at 0)."""
import glob, gzip, io, json, os

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "cloudwatch")
os.makedirs(out, exist_ok=True)

records = []
for path in sorted(glob.glob(os.path.join(here, "sample", "AWSLogs", "**", "*.log.gz"), recursive=True)):
    with gzip.open(path, "rt") as f:
        for line in f.read().splitlines():
            if line and not line.startswith("version "):
                records.append(line)

account = "123456789012"
log_group = "vpc-flow-logs"
base_ms = 1732579200000


def gz(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as g:
        g.write(data)
    return buffer.getvalue()


def stream_of(message: str) -> str:
    return message.split(" ")[2] + "-all"


def payload(events, message_type="DATA_MESSAGE", first_id=0) -> bytes:
    """A subscription payload as CloudWatch Logs writes it: compact JSON, AWS's key order."""
    return json.dumps({
        "messageType": message_type,
        "owner": account if message_type == "DATA_MESSAGE" else "CloudwatchLogs",
        "logGroup": log_group if message_type == "DATA_MESSAGE" else "",
        "logStream": stream_of(events[0]) if message_type == "DATA_MESSAGE" else "",
        "subscriptionFilters": ["flowlens-to-firehose"] if message_type == "DATA_MESSAGE" else [],
        "logEvents": [
            {"id": "%056d" % (37_890_000_000_000_000 + first_id + i), "timestamp": base_ms + 1000 * (first_id + i),
             "message": m} for i, m in enumerate(events)],
    }, separators=(",", ":")).encode()


def listing_event(i, message, full=True):
    event = {"timestamp": base_ms + 1000 * i, "message": message, "ingestionTime": base_ms + 1000 * i + 2345}
    if full:  # filter-log-events names the stream and the event; get-log-events does not
        event = {"logStreamName": stream_of(message), **event, "eventId": "%056d" % (37_890_000_000_000_000 + i)}
    return event


def write(name, data: bytes):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


write("records.log", ("\n".join(records) + "\n").encode())
write("subscription-payload.gz", gz(payload(records)))
control = payload(["CWL CONTROL MESSAGE: Checking health of destination Firehose."], "CONTROL_MESSAGE")
write("control-message.gz", gz(control))
write("firehose-object.gz", b"".join(gz(payload(records[k:k + 50], first_id=k)) for k in range(0, len(records), 50)))

# The AWS CLI prints JSON with a 4-space indent; a paginated run appended to one file is two documents.
half = len(records) // 2
page1 = {"events": [listing_event(i, m) for i, m in enumerate(records[:half])],
         "searchedLogStreams": [], "nextToken": "Bxkq6kVGFtq2y_MoigeqscPOdhXVbhiVtLoAmXb5jCrI7fXLrPbHlzB5Hm8AW2g9"}
page2 = {"events": [listing_event(half + i, m) for i, m in enumerate(records[half:])], "searchedLogStreams": []}
listing = (json.dumps(page1, indent=4) + "\n" + json.dumps(page2, indent=4) + "\n").encode()
write("filter-log-events.json", listing)
get = {"events": [listing_event(i, m, full=False) for i, m in enumerate(records)],
       "nextForwardToken": "f/38000000000000000000000000000000000000000000000000000000",
       "nextBackwardToken": "b/37890000000000000000000000000000000000000000000000000000"}
write("get-log-events.json", (json.dumps(get, indent=4) + "\n").encode())

# Cut inside the message of event 101 of the first page: 100 complete events before it.
cut_event = 101
marker = json.dumps(records[cut_event - 1]).encode()
first = listing.index(b'"message": ' + marker)
cut = first + len(b'"message": ') + len(marker) // 2
write("truncated.json", listing[:cut])

# Odd messages, each an event of one filter-log-events document.
# 1: a record with every letter of its action escaped as \u00XX: the same record once unescaped.
# 2: a record whose interface id holds an escaped newline: one malformed line, not two.
# 3: a record whose interface id holds an emoji escaped as a surrogate pair: a valid record.
# 4: a message that is not a record.
# 5: an event without a message.
# 6: a record with an unpaired surrogate escape.
# 7: a record with \/ and \" escapes in its interface id: a valid record.
plain = records[0]
fields = plain.split(" ")
escaped_action = "".join("\\u%04x" % ord(c) for c in fields[12])
odd = [
    '{"timestamp": 1, "message": "%s"}' % " ".join(fields[:12] + [escaped_action] + fields[13:]),
    '{"timestamp": 2, "message": "%s"}' % " ".join(fields[:2] + ["eni-0a1b\\n2c3d"] + fields[3:]),
    '{"timestamp": 3, "message": "%s"}' % " ".join(fields[:2] + ["eni-\\ud83d\\ude00"] + fields[3:]),
    '{"timestamp": 4, "message": "not a flow log record"}',
    '{"timestamp": 5, "ingestionTime": 6}',
    '{"timestamp": 7, "message": "%s"}' % " ".join(fields[:2] + ["eni-\\ud83d"] + fields[3:]),
    '{"timestamp": 8, "message": "%s"}' % " ".join(fields[:2] + ["eni-a\\/b\\\"c"] + fields[3:]),
]
write("odd-messages.json", ('{\n    "events": [\n        ' + ",\n        ".join(odd) + '\n    ],\n'
                            '    "searchedLogStreams": []\n}\n').encode())

expected = {
    "records": len(records),
    "truncated": {"complete_events": cut_event - 1, "cut_event": cut_event, "offset": cut},
    "odd_messages": {
        "events": len(odd),
        "records": [1, 3, 7],
        "malformed": {"2": "control_character", "4": "field_count", "5": "bad_event", "6": "bad_event"},
        "record_1_equals": plain,
        "record_3_interface_id": "eni-\U0001F600",
        "record_7_interface_id": 'eni-a/b"c',
    },
}
with open(os.path.join(here, "cloudwatch-expected.json"), "w") as f:
    json.dump(expected, f, indent=2, sort_keys=True)
    f.write("\n")
