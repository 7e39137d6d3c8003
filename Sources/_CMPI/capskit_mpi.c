#include "capskit_mpi.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

// Open MPI's handles are pointers to predefined objects.
typedef void *handle;

static int (*init_thread)(int *, char ***, int, int *);
static int (*comm_rank)(handle, int *);
static int (*comm_size)(handle, int *);
static int (*allreduce)(const void *, void *, int, handle, handle, handle);
static int (*allgather)(const void *, int, handle, void *, int, handle, handle);
static int (*allgatherv)(const void *, int, handle, void *, const int *, const int *, handle, handle);
static int (*bcast)(void *, int, handle, int, handle);
static int (*barrier)(handle);
static int (*finalize)(void);
static int (*abort_job)(handle, int);
static handle world, in_place, types[4], ops[3];
static int rank = 0, size = 1;

static int bind(void *library, const char *name, void **slot, char *error, size_t error_size) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(error, error_size, "the MPI library has no symbol %s (Open MPI 3 or later is needed)", name);
        return -1;
    }
    return 0;
}

int capskit_mpi_open(const char *path, char *error, size_t error_size) {
    // RTLD_GLOBAL: Open MPI's own plugins resolve their symbols against libmpi.
    void *library = NULL;
    if (path != NULL) {
        library = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    } else {
        library = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
        if (library == NULL) library = dlopen("libmpi.so", RTLD_NOW | RTLD_GLOBAL);
    }
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(error, error_size, "cannot load %s (%s); install Open MPI (Debian: openmpi-bin)",
                 path != NULL ? path : "libmpi.so.40", why != NULL ? why : "not found");
        return -1;
    }
    struct { const char *name; void **slot; } calls[] = {
        {"MPI_Init_thread", (void **)&init_thread}, {"MPI_Comm_rank", (void **)&comm_rank},
        {"MPI_Comm_size", (void **)&comm_size}, {"MPI_Allreduce", (void **)&allreduce},
        {"MPI_Allgather", (void **)&allgather}, {"MPI_Allgatherv", (void **)&allgatherv},
        {"MPI_Bcast", (void **)&bcast}, {"MPI_Barrier", (void **)&barrier},
        {"MPI_Finalize", (void **)&finalize}, {"MPI_Abort", (void **)&abort_job},
        {"ompi_mpi_comm_world", &world}, {"ompi_mpi_float", &types[CAPSKIT_MPI_FLOAT]},
        {"ompi_mpi_double", &types[CAPSKIT_MPI_DOUBLE]}, {"ompi_mpi_int64_t", &types[CAPSKIT_MPI_INT64]},
        {"ompi_mpi_int", &types[CAPSKIT_MPI_INT32]}, {"ompi_mpi_op_sum", &ops[CAPSKIT_MPI_SUM]},
        {"ompi_mpi_op_max", &ops[CAPSKIT_MPI_MAX]}, {"ompi_mpi_op_min", &ops[CAPSKIT_MPI_MIN]},
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        if (bind(library, calls[i].name, calls[i].slot, error, error_size) != 0) return -1;
    }
    in_place = (handle)1;  // MPI_IN_PLACE is ((void *) 1) in Open MPI's ABI.
    int provided = 0;
    // Only the main thread calls MPI; the worker threads of a step never do.
    if (init_thread(NULL, NULL, 1 /* MPI_THREAD_FUNNELED */, &provided) != 0) {
        snprintf(error, error_size, "MPI_Init_thread failed");
        return -1;
    }
    comm_rank(world, &rank);
    comm_size(world, &size);
    return 0;
}

int capskit_mpi_rank(void) { return rank; }
int capskit_mpi_size(void) { return size; }

static size_t element_size(capskit_mpi_type type) {
    switch (type) {
    case CAPSKIT_MPI_FLOAT: return sizeof(float);
    case CAPSKIT_MPI_DOUBLE: return sizeof(double);
    case CAPSKIT_MPI_INT64: return sizeof(int64_t);
    case CAPSKIT_MPI_INT32: return sizeof(int32_t);
    }
    return 1;
}

int capskit_mpi_allreduce(void *buffer, size_t count, capskit_mpi_type type, capskit_mpi_op op) {
    char *p = buffer;
    while (count > 0) {
        int piece = count > (size_t)INT_MAX ? INT_MAX : (int)count;
        int status = allreduce(in_place, p, piece, types[type], ops[op], world);
        if (status != 0) return status;
        p += (size_t)piece * element_size(type);
        count -= (size_t)piece;
    }
    return 0;
}

int capskit_mpi_allgather_int64(int64_t value, int64_t *received) {
    return allgather(&value, 1, types[CAPSKIT_MPI_INT64], received, 1, types[CAPSKIT_MPI_INT64], world);
}

int capskit_mpi_allgatherv_int32(const int32_t *sent, int count, int32_t *received,
                                 const int *counts, const int *displacements) {
    return allgatherv(sent, count, types[CAPSKIT_MPI_INT32], received, counts, displacements,
                      types[CAPSKIT_MPI_INT32], world);
}

int capskit_mpi_broadcast(void *buffer, size_t bytes, int root) {
    // Bytes travel as int32 words plus a tail, so no MPI_BYTE handle is needed.
    char *p = buffer;
    size_t words = bytes / 4;
    while (words > 0) {
        int piece = words > (size_t)INT_MAX ? INT_MAX : (int)words;
        int status = bcast(p, piece, types[CAPSKIT_MPI_INT32], root, world);
        if (status != 0) return status;
        p += (size_t)piece * 4;
        words -= (size_t)piece;
    }
    size_t tail = bytes % 4;
    if (tail > 0) {
        int32_t last = 0;
        memcpy(&last, p, tail);
        int status = bcast(&last, 1, types[CAPSKIT_MPI_INT32], root, world);
        if (status != 0) return status;
        memcpy(p, &last, tail);
    }
    return 0;
}

int capskit_mpi_barrier(void) { return barrier(world); }
int capskit_mpi_finalize(void) { return finalize(); }
void capskit_mpi_abort(int code) { abort_job(world, code); }
