// The second half of a sync: execute a plan against the server. Push the outbox in batches
// (entries leave it only once the server acknowledged them; refused ones are kept with their
// reason), then pull from the cursor, each page applied with its cursor in one transaction.
// A sync with nothing to do is one round trip. No Qt; the transport is injected.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "net/http_transport.h"
#include "storage/tablet_store.h"
#include "sync/client/sync_endpoint.h"
#include "sync/client/sync_plan.h"
#include "sync/codec/sync_messages.h"

namespace opcat::sync {

struct SyncReport {
  std::size_t pushed = 0;    // changes sent
  std::size_t accepted = 0;  // acknowledged and removed from the outbox
  std::size_t rejected = 0;  // refused for good (kept with the reason)
  std::size_t pulled = 0;    // changes received
  std::size_t applied = 0;   // of them, changes that changed something here
  std::size_t conflicts = 0; // records that now hold a conflict
  std::size_t uploaded = 0;   // attachment files sent
  std::size_t downloaded = 0; // attachment files received
  std::size_t requests = 0;
  std::uint64_t bytesSent = 0;      // request bodies
  std::uint64_t bytesReceived = 0;  // response bodies
  std::uint64_t cursor = 0;
  std::string summary() const;  // one line for people and logs (no content)
};

class SyncEngine {
 public:
  SyncEngine(storage::TabletStore& store, net::HttpTransport& transport, SyncEndpoint endpoint,
             SyncLimits limits = {});

  // Plans and executes one sync. A failure (network, refused token, a damaged reply) stops the
  // run where it is; everything done before it is kept, and the next run resumes from there.
  Result<SyncReport> syncOnce();

  // The two halves. The last pushed batch also asks for the first page of the pull (one round
  // trip fewer); executePushes leaves that page in `firstPage` when the server sent it, and the
  // last batch's accepted sequences in `unacknowledged`. executePulls starts from `firstPage`
  // (or fetches it) and removes `acknowledged` from the outbox in the commit of that page (or on
  // its own if the fetch fails), so a sync costs one commit fewer.
  Status executePushes(const SyncPlan& plan, SyncReport& report,
                       std::vector<std::uint64_t>& unacknowledged,
                       std::optional<codec::PullReply>& firstPage);
  Status executePulls(std::uint64_t from, SyncReport& report,
                      std::vector<std::uint64_t> acknowledged,
                      std::optional<codec::PullReply> firstPage);

 private:
  Result<net::HttpReply> post(const std::string& path, std::string body, SyncReport& report);
  // Pushes one batch, with `pull` when given; the server's verdicts, checked to be one per
  // change, in order.
  Result<codec::PushReply> sendBatch(const PushBatch& batch,
                                     std::span<const std::string> encodedChanges,
                                     const std::optional<codec::PullAsk>& pull,
                                     SyncReport& report);
  // One page of changes after `cursor`, decoded and checked; with `prepare`, also the outcome of
  // each change for a record this store does not hold, merged (storage::preparePulled), so a
  // fetching thread does that work while the previous page is written.
  struct FetchedPage {
    codec::PullReply reply;
    std::vector<std::optional<storage::PreparedPull>> prepared;
  };
  Result<FetchedPage> fetchPage(std::uint64_t cursor, bool prepare, SyncReport& report);
  // The checks and preparation of fetchPage, for a page already received.
  Result<FetchedPage> acceptPage(codec::PullReply page, std::uint64_t cursor, bool prepare);

  storage::TabletStore& m_store;
  net::HttpTransport& m_transport;
  SyncEndpoint m_endpoint;
  SyncLimits m_limits;
};

// Trades a one-time enrollment code for a device token and stores the endpoint (sealed).
// `pins` are the server's public-key pins the transport was configured with. Over TLS at least
// two different pins are required, the server's key and a backup (SECURITY.md): a CA alone
// would let a proxy whose certificate the device trusts read every sync, and a single pin
// would cut every tablet off when the server's key changes. Refused with kInvalidArgument
// before anything is sent. Other URLs need none: the transport allows plain http:// only to
// loopback and refuses every other scheme (net/url_policy.h).
Status enrollDevice(storage::TabletStore& store, net::HttpTransport& transport,
                    const std::string& serverUrl, const std::string& code,
                    const std::string& deviceName, const std::vector<std::string>& pins,
                    const std::string& caFile);

}  // namespace opcat::sync
