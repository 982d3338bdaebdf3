# Tests of the domain module (label unit).
