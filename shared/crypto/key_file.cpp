// Implementation pending.
#include "crypto/key_file.h"
