// Implementation pending.
#include "crypto/attachment_stream.h"
