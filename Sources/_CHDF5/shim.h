// HDF5's type and property-list identifiers are macros that expand to
// global variables initialised by H5open(); Swift cannot import them.
// These static inline getters expose them by name instead of by number.
#ifndef CAPSKIT_HDF5_SHIM_H
#define CAPSKIT_HDF5_SHIM_H
#include <hdf5.h>

static inline hid_t caps_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t caps_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t caps_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t caps_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t caps_H5P_DATASET_ACCESS(void) { return H5P_DATASET_ACCESS; }
static inline hid_t caps_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t caps_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t caps_H5P_DATASET_XFER(void) { return H5P_DATASET_XFER; }
static inline hid_t caps_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t caps_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t caps_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t caps_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t caps_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t caps_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t caps_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t caps_H5T_STD_I32LE(void) { return H5T_STD_I32LE; }
static inline hid_t caps_H5T_STD_I64LE(void) { return H5T_STD_I64LE; }
static inline hid_t caps_H5T_IEEE_F32LE(void) { return H5T_IEEE_F32LE; }
static inline hid_t caps_H5T_IEEE_F64LE(void) { return H5T_IEEE_F64LE; }
static inline unsigned caps_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned caps_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned caps_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned caps_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline size_t caps_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hsize_t caps_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline hid_t caps_H5E_DEFAULT(void) { return H5E_DEFAULT; }

/// Turns off HDF5's automatic error printing on stderr; the Swift layer
/// turns failures into errors that name the file and object instead.
static inline void caps_H5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

#endif
