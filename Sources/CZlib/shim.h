#include <zlib.h>

/// `inflateInit2` is a function-like macro, which Swift cannot import.
static inline int czlib_inflateInit2(z_streamp strm, int windowBits) {
  return inflateInit2(strm, windowBits);
}

/// `deflateInit2` is a macro too; tests use it to build multi-member gzip input.
static inline int czlib_deflateInit2(z_streamp strm, int level, int windowBits) {
  return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
