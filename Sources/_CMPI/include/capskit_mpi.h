// Open MPI, loaded at run time (dlopen), so that CapsKit builds and runs
// where MPI is absent and one capsfit binary serves both `capsfit …` and
// `mpirun -np K capsfit …`. Only the calls the data-parallel trainer needs
// are bound. Handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are Open MPI's
// exported predefined objects (`ompi_mpi_comm_world`, …), whose addresses
// are the handles in Open MPI's ABI (libmpi.so.40: Open MPI 3, 4 and 5).
#ifndef CAPSKIT_MPI_H
#define CAPSKIT_MPI_H

#include <stddef.h>
#include <stdint.h>

typedef enum { CAPSKIT_MPI_FLOAT = 0, CAPSKIT_MPI_DOUBLE = 1, CAPSKIT_MPI_INT64 = 2, CAPSKIT_MPI_INT32 = 3 } capskit_mpi_type;
typedef enum { CAPSKIT_MPI_SUM = 0, CAPSKIT_MPI_MAX = 1, CAPSKIT_MPI_MIN = 2 } capskit_mpi_op;

/// Loads `library` (NULL: libmpi.so.40, then libmpi.so), binds the calls and
/// runs MPI_Init. Returns 0, or −1 with a one-line reason in `error`.
int capskit_mpi_open(const char *library, char *error, size_t error_size);
int capskit_mpi_rank(void);
int capskit_mpi_size(void);
/// In-place MPI_Allreduce over MPI_COMM_WORLD (counts past INT_MAX go in pieces). 0 on success.
int capskit_mpi_allreduce(void *buffer, size_t count, capskit_mpi_type type, capskit_mpi_op op);
/// MPI_Allgather of one int64 per rank into `received` [size].
int capskit_mpi_allgather_int64(int64_t value, int64_t *received);
/// MPI_Allgatherv of int32 values: `counts` [size] and `displacements` [size] in elements.
int capskit_mpi_allgatherv_int32(const int32_t *sent, int count, int32_t *received,
                                 const int *counts, const int *displacements);
/// MPI_Bcast of `bytes` bytes from `root`.
int capskit_mpi_broadcast(void *buffer, size_t bytes, int root);
int capskit_mpi_barrier(void);
int capskit_mpi_finalize(void);
void capskit_mpi_abort(int code);

#endif
