#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads another source on a thread of its own, a few buffers ahead: decompression on one core
/// while the caller parses on another.
///
/// The ring is bounded (four 1 MiB buffers), so memory does not grow with the input. An error of
/// the inner source is handed over in order, after the bytes read before it.
final class PipelinedSource: ByteSource, @unchecked Sendable {
  // @unchecked: `inner` is used only by the reading thread, which is joined before deinit returns;
  // every other shared field is guarded by `mutex`.
  private let inner: any ByteSource
  private var mutex = pthread_mutex_t()
  private var changed = pthread_cond_t()
  private var ready: [(bytes: UnsafeMutableRawBufferPointer, count: Int)] = []
  private var free: [UnsafeMutableRawBufferPointer] = []
  private var finished = false
  private var failure: SourceError?
  private var cancelled = false
  private var innerConsumed: UInt64 = 0
  private var thread: pthread_t?
  // The reader's side, touched only by the caller's thread.
  private var current: (bytes: UnsafeMutableRawBufferPointer, count: Int)?
  private var currentPosition = 0

  private static let depth = 4
  private static let chunkSize = 1 << 20

  init(_ inner: any ByteSource) {
    self.inner = inner
    pthread_mutex_init(&mutex, nil)
    pthread_cond_init(&changed, nil)
    for _ in 0..<Self.depth { free.append(.allocate(byteCount: Self.chunkSize, alignment: 64)) }
    let unmanaged = Unmanaged.passRetained(self)
    var handle = pthread_t()
    let rc = pthread_create(
      &handle, nil,
      { raw in
        let source = Unmanaged<PipelinedSource>.fromOpaque(raw!).takeUnretainedValue()
        source.produce()
        return nil
      }, unmanaged.toOpaque())
    unmanaged.release()  // the thread is joined in deinit, so it needs no reference of its own
    if rc == 0 {
      thread = handle
    } else {
      finished = true
      failure = SourceError(offset: 0, message: "cannot start a reading thread")
    }
  }

  deinit {
    lock()
    cancelled = true
    pthread_cond_broadcast(&changed)
    unlock()
    if let thread { pthread_join(thread, nil) }
    for buffer in free { buffer.deallocate() }
    for chunk in ready { chunk.bytes.deallocate() }
    current?.bytes.deallocate()
    pthread_cond_destroy(&changed)
    pthread_mutex_destroy(&mutex)
  }

  private func lock() { pthread_mutex_lock(&mutex) }
  private func unlock() { pthread_mutex_unlock(&mutex) }

  var bytesConsumed: UInt64 {
    lock()
    defer { unlock() }
    return innerConsumed
  }

  /// The reading thread: fills free buffers from the inner source until its end, an error, or
  /// cancellation.
  private func produce() {
    while true {
      lock()
      while free.isEmpty && !cancelled { pthread_cond_wait(&changed, &mutex) }
      if cancelled {
        unlock()
        return
      }
      let buffer = free.removeLast()
      unlock()

      var filled = 0
      var error: SourceError?
      do {
        while filled < buffer.count {
          let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
          if n == 0 { break }
          filled += n
        }
      } catch let caught {
        error = caught
      }
      let atEnd = filled < buffer.count || error != nil

      lock()
      innerConsumed = inner.bytesConsumed
      if filled > 0 { ready.append((buffer, filled)) } else { free.append(buffer) }
      if atEnd {
        finished = true
        failure = error
      }
      pthread_cond_broadcast(&changed)
      unlock()
      if atEnd { return }
    }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0 else { return 0 }
    if current == nil || currentPosition == current!.count {
      lock()
      if let done = current {
        free.append(done.bytes)
        current = nil
        pthread_cond_broadcast(&changed)
      }
      while ready.isEmpty && !finished { pthread_cond_wait(&changed, &mutex) }
      if ready.isEmpty {
        let error = failure
        unlock()
        if let error { throw error }
        return 0
      }
      current = ready.removeFirst()
      currentPosition = 0
      unlock()
    }
    let chunk = current!
    let n = min(buffer.count, chunk.count - currentPosition)
    buffer.baseAddress!.copyMemory(from: chunk.bytes.baseAddress! + currentPosition, byteCount: n)
    currentPosition += n
    return n
  }
}
