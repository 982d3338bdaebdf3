// Attachment bytes for the tablets, resumable in both directions (SYNC.md rule 6):
//   HEAD /v1/blobs/{sha256}  how far the upload is: Upload-Offset, Upload-Complete (?1 / ?0)
//   PUT  /v1/blobs/{sha256}  appends one part: Content-Range: bytes START-END/TOTAL
//   GET  /v1/blobs/{sha256}  the complete blob; Range: bytes=N- (or N-M) resumes a download
// Every call needs the device's bearer token, and the device's monitor must see an Attachment
// record with this SHA-256 (pushed first); otherwise 403, whether the blob exists or not.
#pragma once

#include "db/server_store.h"
#include "http/router.h"
#include "service/blob_service.h"

namespace opcat::server::http {

void addBlobResource(Router& router, db::ServerStore& store, BlobService& blobs);

}  // namespace opcat::server::http
