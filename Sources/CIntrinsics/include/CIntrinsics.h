#ifndef FLOWLENS_CINTRINSICS_H
#define FLOWLENS_CINTRINSICS_H

// What Swift cannot say itself, as static inline functions that compile into the caller.

/// A hint that the cache line at `address` will be written soon (Swift has no prefetch).
static inline void flowlens_prefetch_for_write(const void *address) {
  __builtin_prefetch(address, 1, 3);
}

#endif
