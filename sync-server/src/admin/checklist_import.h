// `admin load-checklists`: checklist templates from their protobuf JSON form (the mapping of
// opcat.v1.ChecklistTemplate), one template per file. Each is validated like any record and all
// are written in one transaction: a bad file loads nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "admin/admin_context.h"
#include "admin/office_records.h"
#include "core/status.h"
#include "db/server_store.h"
#include "domain/registry.h"

namespace opcat::server::admin {

struct LoadedChecklist {
  domain::ChecklistTemplate record;
  std::string file;
};

// The templates in `paths`: files, and the *.json files of folders (in name order). Errors
// (kInvalidArgument) name the file: JSON that does not parse as opcat.v1.ChecklistTemplate, a
// file over 10 MiB, a template the validation refuses, an id two files share.
Result<std::vector<LoadedChecklist>> readChecklists(std::span<const std::string> paths);

// Writes the templates inside the caller's transaction; one outcome per template, in order.
Result<std::vector<WriteOutcome>> writeChecklists(db::StoreSession& session,
                                                  const std::vector<LoadedChecklist>& checklists,
                                                  std::int64_t nowMs);

AdminCommand loadChecklistsCommand();

}  // namespace opcat::server::admin
