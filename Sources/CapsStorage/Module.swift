import _CHDF5
