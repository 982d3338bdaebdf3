// Implementation pending.
#include "crypto/record_cipher.h"
