// The target's one function is static inline in include/CIntrinsics.h; SwiftPM needs a source file.
#include "CIntrinsics.h"
