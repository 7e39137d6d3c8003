import _CZlib
