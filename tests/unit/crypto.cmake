# Tests of the crypto module (label unit).
