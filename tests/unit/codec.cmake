# Tests of the codec module (label unit).
