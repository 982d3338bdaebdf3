// Implementation pending.
#include "crypto/sealed_box.h"
