import Dispatch
import Synchronization

/// Reads another source on a thread of its own, a few buffers ahead: decompression on one core
/// while the caller parses on another.
///
/// The ring is bounded (four 1 MiB buffers), so memory does not grow with the input. An error of
/// the inner source is handed over in order, after the bytes read before it. Buffers go round by
/// index: `freeBuffers` counts the buffers the reading thread may fill, `readyChunks` the chunks
/// (and the end) the caller may take; the lists themselves are guarded by a `Mutex`. All three
/// live at fixed addresses, unlike a `pthread_mutex_t` stored in a class and passed as `&mutex`.
final class PipelinedSource: ByteSource, @unchecked Sendable {
  // @unchecked: `inner` is used only by the reading thread, which is joined before deinit returns;
  // the shared state is in `shared` and the semaphores; `current` belongs to the caller's thread.
  private let inner: any ByteSource
  private let buffers: [UnsafeMutableRawBufferPointer]
  private let shared: Mutex<Shared>
  private let freeBuffers: DispatchSemaphore
  private let readyChunks = DispatchSemaphore(value: 0)
  private var thread: Syscalls.Thread?
  // The reader's side, touched only by the caller's thread.
  private var current: Chunk?
  private var currentPosition = 0
  private var endSeen = false

  /// A filled buffer: its index in `buffers` and the bytes in it.
  private struct Chunk {
    var buffer: Int
    var count: Int
  }

  private struct Shared {
    /// Chunks filled and not taken yet, in order.
    var ready: [Chunk] = []
    /// Buffers free to fill.
    var free: [Int]
    /// Set with the last chunk: the inner source ended, or failed with `failure`.
    var finished = false
    var failure: SourceError?
    var cancelled = false
    var innerConsumed: UInt64 = 0
  }

  static let depth = 4
  static let chunkSize = 1 << 20

  init(_ inner: any ByteSource) {
    self.inner = inner
    buffers = (0..<Self.depth).map { _ in .allocate(byteCount: Self.chunkSize, alignment: 64) }
    shared = Mutex(Shared(free: Array(buffers.indices)))
    freeBuffers = DispatchSemaphore(value: Self.depth)
    do {
      // unowned(unsafe): deinit joins the thread before the object goes away; a strong reference
      // would keep the object alive, and the thread waiting, for ever.
      thread = try Syscalls.startThread { [unowned(unsafe) self] in self.produce() }
    } catch {
      shared.withLock {
        $0.finished = true
        $0.failure = SourceError(offset: 0, message: "cannot start a reading thread (\(error.call): \(error.message))")
      }
      readyChunks.signal()
    }
  }

  deinit {
    shared.withLock { $0.cancelled = true }
    freeBuffers.signal()  // wakes the thread if it waits for a buffer
    if let thread { Syscalls.join(thread) }
    for buffer in buffers { buffer.deallocate() }
  }

  var bytesConsumed: UInt64 { shared.withLock { $0.innerConsumed } }

  /// The reading thread: fills free buffers from the inner source until its end, an error, or
  /// cancellation.
  private func produce() {
    while true {
      freeBuffers.wait()
      guard let index = shared.withLock({ $0.cancelled ? nil : $0.free.removeLast() }) else { return }
      let buffer = buffers[index]
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
      let consumed = inner.bytesConsumed
      shared.withLock { [error] in
        $0.innerConsumed = consumed
        if filled > 0 { $0.ready.append(Chunk(buffer: index, count: filled)) } else { $0.free.append(index) }
        if atEnd {
          $0.finished = true
          $0.failure = error
        }
      }
      if filled > 0 { readyChunks.signal() }
      if atEnd {
        readyChunks.signal()  // the end
        return
      }
    }
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0 else { return 0 }
    if current == nil || currentPosition == current!.count {
      if let done = current {
        current = nil
        shared.withLock { $0.free.append(done.buffer) }
        freeBuffers.signal()
      }
      if !endSeen {
        readyChunks.wait()
        current = shared.withLock { $0.ready.isEmpty ? nil : $0.ready.removeFirst() }
        currentPosition = 0
        endSeen = current == nil
      }
      if endSeen {
        if let failure = shared.withLock({ $0.failure }) { throw failure }
        return 0
      }
    }
    let chunk = current!
    let n = min(buffer.count, chunk.count - currentPosition)
    buffer.baseAddress!.copyMemory(from: buffers[chunk.buffer].baseAddress! + currentPosition, byteCount: n)
    currentPosition += n
    return n
  }
}
