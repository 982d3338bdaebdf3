// Implementation pending.
#include "crypto/sodium_init.h"
