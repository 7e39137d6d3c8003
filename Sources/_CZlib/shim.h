// zlib's gz* stream interface: reads plain and gzip-compressed files alike.
#include <zlib.h>
