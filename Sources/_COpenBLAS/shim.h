// OpenBLAS's CBLAS interface. Debian installs cblas.h under the
// openblas-pthread include folder that pkg-config reports.
#include <cblas.h>
