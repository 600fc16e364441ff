#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the log events of CloudWatch Logs JSON (see ``CloudWatchLogsForm``) as a stream: hands
/// out each event's message, unescaped, as one line for the record decoder, without ever holding
/// more than one block of the JSON text and one message.
///
/// The text is a sequence of JSON objects, with or without whitespace between them: subscription
/// payloads (`messageType`, `logEvents`) as a Firehose object holds them once decompressed, and
/// `aws logs filter-log-events`/`get-log-events` output (`events`). Only the keys that matter are
/// looked at; every other value is skipped by a small state machine aware of strings and escapes.
/// Log events are numbered from 1 across the whole text, payloads that carry no records
/// (`CONTROL_MESSAGE`) included, so that an index names the event a person finds in the file.
///
/// Pull-style, like ``LineCutter``:
///
///     while more {
///       more = try scanner.read(from: source)
///       while let piece = scanner.nextPiece() { … }
///     }
///
/// A message with an escaped newline or control character stays one line (the decoder rejects
/// the control byte), so that the events and the lines are the same count.
struct CloudWatchEventScanner: ~Copyable {
  /// What ``nextPiece()`` hands out.
  enum Piece {
    /// The message of log event number `event`, unescaped; valid until the next call. `offset` is
    /// that of the event's `{` in the JSON text.
    case message(UnsafeRawBufferPointer, event: Int, offset: UInt64)
    /// A log event whose message cannot be a record line: a malformed line.
    case badEvent(event: Int, offset: UInt64, kind: ParseIssue.Kind, reason: String)
    /// A payload at `offset` that carries no flow log records (a `CONTROL_MESSAGE`), skipped.
    case skippedPayload(offset: UInt64, messageType: String, events: Int)
    /// The text is not JSON of the forms read, from `offset` on; nothing after it is read.
    case malformed(offset: UInt64, reason: String)
  }

  private enum State {
    case betweenDocuments
    /// After an object's `{`: a key or `}`. In a document or a log event, as `inEvent` says.
    case objectStart
    /// After `,` in an object: a key.
    case keyExpected
    /// Inside a key, or the `messageType` value (both short strings, kept raw).
    case shortString
    case colon
    case valueExpected
    /// After a member's value: `,` or `}`.
    case afterValue
    /// After the `[` of `logEvents`/`events`: an event or `]`.
    case arrayStart
    /// After `,` in the events array: an event.
    case eventExpected
    /// After an event's `}`: `,` or `]`.
    case afterEvent
    case message
    case skipping
    /// After a fault, or at the end: nothing more.
    case done
  }

  private enum Key {
    case messageType, logEvents, events, message, other
  }

  /// Why a message cannot be used, noted as it is read; the first one wins.
  private enum MessageProblem {
    case none
    case badEscape(UInt8)
    case badUnicodeEscape, unpairedSurrogate, tooLong
  }

  private static let shortCapacity = 32
  private let maxMessageLength: Int
  private let messageBase: UnsafeMutableRawPointer
  private let shortBase: UnsafeMutableRawPointer

  private let input: UnsafeMutableRawPointer
  private let inputCapacity: Int
  private var filled = 0
  private var position = 0
  /// The text offset of the input block's first byte.
  private var streamOffset: UInt64 = 0
  private var atEnd = false

  private var state = State.betweenDocuments
  private var inEvent = false
  /// The key whose value comes next, or was just read.
  private var key = Key.other
  /// Whether the short string being read is a key (else the `messageType` value).
  private var shortIsKey = true
  private var shortLength = 0
  private var shortEscape = false

  private var documentOffset: UInt64 = 0
  private var documentHasEvents = false
  /// The document's `messageType` when it is not `DATA_MESSAGE` and came before its events: they
  /// are then skipped.
  private var skippedType: String?
  private var skippedEvents = 0

  private var eventIndex = 0
  private var eventOffset: UInt64 = 0
  private var eventHasMessage = false
  private var eventMessageNotString = false
  private var messageLength = 0
  private var problem = MessageProblem.none
  /// 0 outside an escape; 1 after `\`; 2…5 after `\u` and that many hex digits less 2.
  private var escapeState = 0
  private var escapeValue: UInt32 = 0
  private var pendingHighSurrogate: UInt32 = 0

  private var skipDepth = 0
  private var skipInString = false
  private var skipEscape = false
  private var skipScalar = false

  private var failure: (offset: UInt64, reason: String)?

  /// A scanner reading the text through `buffer` (owned by the caller), whose messages are at
  /// most `maxMessageLength` bytes (longer ones are malformed and never held whole).
  init(buffer: UnsafeMutableRawBufferPointer, maxMessageLength: Int) {
    input = buffer.baseAddress!
    inputCapacity = buffer.count
    self.maxMessageLength = maxMessageLength
    messageBase = .allocate(byteCount: maxMessageLength + 1, alignment: 16)
    shortBase = .allocate(byteCount: Self.shortCapacity, alignment: 16)
  }

  deinit {
    messageBase.deallocate()
    shortBase.deallocate()
  }

  /// Bytes of JSON text taken from the stream so far.
  var bytesRead: UInt64 { streamOffset + UInt64(filled) }

  /// The event being read, if one is (after a stream fault: the event the fault cut off).
  var pendingEvent: (event: Int, offset: UInt64)? {
    inEvent && skippedType == nil && state != .done ? (eventIndex, eventOffset) : nil
  }

  /// Reads the next block of text; false at the end of the stream (``nextPiece()`` then hands out
  /// what the end means: an event or a document cut off). Call it once ``nextPiece()`` is nil.
  mutating func read(from source: any ByteSource) throws(SourceError) -> Bool {
    streamOffset += UInt64(filled)
    filled = 0
    position = 0
    let n = try source.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
    filled = n
    if n == 0 { atEnd = true }
    return n > 0
  }

  /// The next piece of the block read, or nil when the block is used up.
  mutating func nextPiece() -> Piece? {
    while true {
      if state == .done { return nil }
      if failure != nil || (position == filled && atEnd) { return finish() }
      guard position < filled else { return nil }
      if let piece = step() { return piece }
    }
  }

  // MARK: The state machine

  @inline(__always)
  private var here: UInt64 { streamOffset + UInt64(position) }

  @inline(__always)
  private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

  /// Handles input from `position` on: one byte, or a run of a string; a piece when one is complete.
  @inline(__always)
  private mutating func step() -> Piece? {
    let b = input.load(fromByteOffset: position, as: UInt8.self)
    switch state {
    case .message:
      readMessage()
      return nil
    case .skipping:
      skip(b)
      return nil
    case .shortString:
      return readShortString()
    default:
      break
    }
    if Self.isSpace(b) {
      position += 1
      return nil
    }
    switch state {
    case .betweenDocuments:
      if here < 3 && b == [0xEF, 0xBB, 0xBF][Int(here)] {
        position += 1  // a UTF-8 byte order mark
      } else if b == UInt8(ascii: "{") {
        documentOffset = here
        documentHasEvents = false
        skippedType = nil
        skippedEvents = 0
        inEvent = false
        state = .objectStart
        position += 1
      } else {
        fail("expected a JSON object (a subscription payload or aws logs output), found \(Self.describe(b))")
      }
    case .objectStart, .keyExpected:
      if b == UInt8(ascii: "\"") {
        shortIsKey = true
        shortLength = 0
        shortEscape = false
        state = .shortString
        position += 1
      } else if b == UInt8(ascii: "}") && state == .objectStart {
        position += 1
        return closeObject()
      } else {
        fail("expected a key in quotes, found \(Self.describe(b))")
      }
    case .colon:
      guard b == UInt8(ascii: ":") else { return fail("expected ':' after a key, found \(Self.describe(b))") }
      state = .valueExpected
      position += 1
    case .valueExpected:
      return beginValue(b)
    case .afterValue:
      position += 1
      if b == UInt8(ascii: ",") {
        state = .keyExpected
      } else if b == UInt8(ascii: "}") {
        return closeObject()
      } else {
        position -= 1
        fail("expected ',' or '}' after a value, found \(Self.describe(b))")
      }
    case .arrayStart, .eventExpected:
      if b == UInt8(ascii: "{") {
        eventIndex += 1
        eventOffset = here
        eventHasMessage = false
        eventMessageNotString = false
        messageLength = 0
        problem = .none
        inEvent = true
        state = .objectStart
        position += 1
      } else if b == UInt8(ascii: "]") && state == .arrayStart {
        state = .afterValue
        position += 1
      } else {
        fail("expected a log event object, found \(Self.describe(b))")
      }
    case .afterEvent:
      if b == UInt8(ascii: ",") {
        state = .eventExpected
      } else if b == UInt8(ascii: "]") {
        state = .afterValue
      } else {
        return fail("expected ',' or ']' after a log event, found \(Self.describe(b))")
      }
      position += 1
    case .message, .skipping, .shortString, .done:
      break
    }
    return nil
  }

  /// The first byte of a member's value.
  private mutating func beginValue(_ b: UInt8) -> Piece? {
    switch (key, inEvent) {
    case (.messageType, false):
      guard b == UInt8(ascii: "\"") else { return fail("messageType is not a string") }
      shortIsKey = false
      shortLength = 0
      shortEscape = false
      state = .shortString
      position += 1
    case (.logEvents, false), (.events, false):
      guard b == UInt8(ascii: "[") else {
        return fail("\(key == .logEvents ? "logEvents" : "events") is not an array of log events")
      }
      documentHasEvents = true
      state = .arrayStart
      position += 1
    case (.message, true) where b == UInt8(ascii: "\""):
      eventHasMessage = true
      eventMessageNotString = false
      messageLength = 0
      problem = .none
      escapeState = 0
      pendingHighSurrogate = 0
      state = .message
      position += 1
    default:
      if key == .message && inEvent {
        eventHasMessage = true
        eventMessageNotString = true
      }
      return beginSkip(b)
    }
    return nil
  }

  /// Reads a key or the `messageType` value; keys longer than any known one are just skipped over.
  private mutating func readShortString() -> Piece? {
    while position < filled {
      let b = input.load(fromByteOffset: position, as: UInt8.self)
      position += 1
      if shortEscape {
        shortEscape = false
      } else if b == UInt8(ascii: "\\") {
        shortEscape = true
      } else if b == UInt8(ascii: "\"") {
        return endShortString()
      }
      if shortLength < Self.shortCapacity { shortBase.storeBytes(of: b, toByteOffset: shortLength, as: UInt8.self) }
      shortLength += 1
    }
    return nil
  }

  private func shortStringIs(_ text: StaticString) -> Bool {
    guard shortLength == text.utf8CodeUnitCount else { return false }
    return memcmp(shortBase, text.utf8Start, shortLength) == 0
  }

  private mutating func endShortString() -> Piece? {
    if shortIsKey {
      if inEvent {
        key = shortStringIs("message") ? .message : .other
      } else if shortStringIs("messageType") {
        key = .messageType
      } else if shortStringIs("logEvents") {
        key = .logEvents
      } else if shortStringIs("events") {
        key = .events
      } else {
        key = .other
      }
      state = .colon
      return nil
    }
    // The value of messageType: its events are read only for DATA_MESSAGE. A messageType after
    // the events (never so in what AWS writes) comes too late to skip them.
    if !shortStringIs("DATA_MESSAGE") && !documentHasEvents {
      let length = min(shortLength, Self.shortCapacity)
      skippedType = String(decoding: UnsafeRawBufferPointer(start: shortBase, count: length), as: UTF8.self)
    }
    state = .afterValue
    return nil
  }

  /// The end of an object: a log event is handed out, a document checked.
  private mutating func closeObject() -> Piece? {
    if inEvent {
      inEvent = false
      state = .afterEvent
      if skippedType != nil {
        skippedEvents += 1
        return nil
      }
      return eventPiece()
    }
    state = .betweenDocuments
    guard documentHasEvents else {
      return fail(
        "a JSON object without logEvents or events: not a CloudWatch Logs subscription payload or aws logs output",
        at: documentOffset)
    }
    if let skippedType {
      return .skippedPayload(offset: documentOffset, messageType: skippedType, events: skippedEvents)
    }
    return nil
  }

  private func eventPiece() -> Piece {
    let reason: String
    var kind = ParseIssue.Kind.badEvent
    switch problem {
    case _ where !eventHasMessage || eventMessageNotString:
      reason = eventHasMessage ? "the log event's message is not a string" : "the log event has no message"
    case .none:
      return .message(
        UnsafeRawBufferPointer(start: messageBase, count: messageLength), event: eventIndex, offset: eventOffset)
    case .tooLong:
      kind = .lineTooLong
      reason = "log event message longer than \(maxMessageLength) bytes"
    case .badEscape(let byte):
      reason = "the log event's message has an invalid escape (a backslash before \(Self.describe(byte)))"
    case .badUnicodeEscape:
      reason = "the log event's message has a \\u escape without four hex digits"
    case .unpairedSurrogate:
      reason = "the log event's message has an unpaired UTF-16 surrogate escape"
    }
    return .badEvent(event: eventIndex, offset: eventOffset, kind: kind, reason: reason)
  }

  // MARK: Messages

  @inline(__always)
  private mutating func append(_ b: UInt8) {
    if messageLength < maxMessageLength {
      messageBase.storeBytes(of: b, toByteOffset: messageLength, as: UInt8.self)
      messageLength += 1
    } else {
      note(.tooLong)
    }
  }

  private mutating func note(_ found: MessageProblem) {
    if case .none = problem { problem = found }
  }

  /// Reads a run of the message string, unescaping it.
  private mutating func readMessage() {
    while position < filled {
      if escapeState == 0 && pendingHighSurrogate == 0 {
        // The bytes up to the next quote or backslash are the message as they are.
        let run = plainRunLength()
        if run > 0 {
          let kept = min(run, maxMessageLength - messageLength)
          (messageBase + messageLength).copyMemory(from: input + position, byteCount: kept)
          messageLength += kept
          if kept < run { note(.tooLong) }
          position += run
          continue
        }
      }
      let b = input.load(fromByteOffset: position, as: UInt8.self)
      if escapeState != 0 {
        if readEscape(b) { position += 1 }
        continue
      }
      if pendingHighSurrogate != 0 && b != UInt8(ascii: "\\") {
        note(.unpairedSurrogate)
        pendingHighSurrogate = 0
      }
      position += 1
      if b == UInt8(ascii: "\"") {
        state = .afterValue
        return
      }
      if b == UInt8(ascii: "\\") {
        escapeState = 1
      } else {
        append(b)
      }
    }
  }

  /// Takes one byte of an escape; false when the byte is not part of it (a bad `\u` escape) and
  /// is to be read again as message text.
  private mutating func readEscape(_ b: UInt8) -> Bool {
    if escapeState == 1 {
      if b != UInt8(ascii: "u") && pendingHighSurrogate != 0 {
        note(.unpairedSurrogate)
        pendingHighSurrogate = 0
      }
      escapeState = 0
      switch b {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): append(b)
      case UInt8(ascii: "b"): append(0x08)
      case UInt8(ascii: "f"): append(0x0C)
      case UInt8(ascii: "n"): append(0x0A)
      case UInt8(ascii: "r"): append(0x0D)
      case UInt8(ascii: "t"): append(0x09)
      case UInt8(ascii: "u"):
        escapeState = 2
        escapeValue = 0
      default: note(.badEscape(b))
      }
      return true
    }
    let digit: UInt32
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
    default:
      note(.badUnicodeEscape)
      escapeState = 0
      pendingHighSurrogate = 0
      return false
    }
    escapeValue = escapeValue << 4 | digit
    escapeState += 1
    guard escapeState == 6 else { return true }
    escapeState = 0
    appendCodeUnit(escapeValue)
    return true
  }

  /// Appends a UTF-16 code unit from a `\u` escape as UTF-8, pairing surrogates.
  private mutating func appendCodeUnit(_ unit: UInt32) {
    var scalar = unit
    if pendingHighSurrogate != 0 {
      let high = pendingHighSurrogate
      pendingHighSurrogate = 0
      if (0xDC00...0xDFFF).contains(unit) {
        scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
      } else {
        note(.unpairedSurrogate)
      }
    }
    if (0xD800...0xDBFF).contains(scalar) {
      pendingHighSurrogate = scalar
      return
    }
    if (0xDC00...0xDFFF).contains(scalar) {
      note(.unpairedSurrogate)
      return
    }
    switch scalar {
    case 0..<0x80:
      append(UInt8(scalar))
    case 0x80..<0x800:
      append(UInt8(0xC0 | scalar >> 6))
      append(UInt8(0x80 | scalar & 0x3F))
    case 0x800..<0x10000:
      append(UInt8(0xE0 | scalar >> 12))
      append(UInt8(0x80 | scalar >> 6 & 0x3F))
      append(UInt8(0x80 | scalar & 0x3F))
    default:
      append(UInt8(0xF0 | scalar >> 18))
      append(UInt8(0x80 | scalar >> 12 & 0x3F))
      append(UInt8(0x80 | scalar >> 6 & 0x3F))
      append(UInt8(0x80 | scalar & 0x3F))
    }
  }

  /// The number of bytes from `position` before the next quote or backslash in the block.
  @inline(__always)
  private func plainRunLength() -> Int {
    let start = input + position
    let count = filled - position
    let limit = memchr(start, Int32(UInt8(ascii: "\"")), count).map { start.distance(to: UnsafeMutableRawPointer($0)) }
    let searched = limit ?? count
    return memchr(start, Int32(UInt8(ascii: "\\")), searched).map { start.distance(to: UnsafeMutableRawPointer($0)) }
      ?? searched
  }

  // MARK: Skipped values

  private mutating func beginSkip(_ b: UInt8) -> Piece? {
    skipDepth = 0
    skipInString = false
    skipEscape = false
    skipScalar = false
    switch b {
    case UInt8(ascii: "{"), UInt8(ascii: "["): skipDepth = 1
    case UInt8(ascii: "\""): skipInString = true
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "t"), UInt8(ascii: "f"),
      UInt8(ascii: "n"):
      skipScalar = true
    default:
      return fail("expected a value, found \(Self.describe(b))")
    }
    state = .skipping
    position += 1
    return nil
  }

  /// Skips a value: strings, nested objects and arrays, numbers and literals.
  private mutating func skip(_ first: UInt8) {
    var b = first
    while true {
      if skipInString && !skipEscape && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
        position += plainRunLength()
        guard position < filled else { return }
        b = input.load(fromByteOffset: position, as: UInt8.self)
      }
      if skipInString {
        if skipEscape {
          skipEscape = false
        } else if b == UInt8(ascii: "\\") {
          skipEscape = true
        } else if b == UInt8(ascii: "\"") {
          skipInString = false
          if skipDepth == 0 { return endSkip(advance: true) }
        }
      } else if skipScalar {
        if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || Self.isSpace(b) {
          return endSkip(advance: false)
        }
      } else {
        switch b {
        case UInt8(ascii: "\""): skipInString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): skipDepth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          skipDepth -= 1
          if skipDepth == 0 { return endSkip(advance: true) }
        default: break
        }
      }
      position += 1
      guard position < filled else { return }
      b = input.load(fromByteOffset: position, as: UInt8.self)
    }
  }

  private mutating func endSkip(advance: Bool) {
    if advance { position += 1 }
    state = .afterValue
  }

  // MARK: Faults and the end

  @discardableResult
  private mutating func fail(_ reason: String, at offset: UInt64? = nil) -> Piece? {
    failure = (offset ?? here, reason)
    return nil
  }

  /// After a fault or at the end of the text: the event cut off (if any), then what was wrong.
  private mutating func finish() -> Piece? {
    if failure == nil {
      if state == .betweenDocuments {
        state = .done
        return nil
      }
      let inside = inEvent ? "a log event" : "a JSON document"
      failure = (here, "the JSON text ends inside \(inside) (truncated?)")
    }
    if let pending = pendingEvent {
      inEvent = false
      let cause = atEnd && position == filled ? "the end of the text" : "the JSON fault below"
      return .badEvent(
        event: pending.event, offset: pending.offset, kind: .incompleteLine,
        reason: "log event cut off by \(cause); not counted as a record")
    }
    state = .done
    let fault = failure!
    return .malformed(offset: fault.offset, reason: fault.reason)
  }

  /// A byte for a message: the character when printable, else its hex value.
  private static func describe(_ b: UInt8) -> String {
    (0x21..<0x7F).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16, uppercase: true))"
  }
}
