import _COpenBLAS
