// Implementation pending.
#include "crypto/secret_key.h"
