#ifndef SOVREN_CZLIB_SHIM_H
#define SOVREN_CZLIB_SHIM_H
#include <zlib.h>

// zlib's init entry points are macros, which Swift cannot call: wrap them.
static inline int sovren_inflateInit2(z_streamp stream, int windowBits) {
  return inflateInit2(stream, windowBits);
}

static inline int sovren_deflateInit2(z_streamp stream, int level, int windowBits) {
  return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
