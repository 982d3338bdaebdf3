// Implementation pending.
#include "crypto/secure_file.h"
