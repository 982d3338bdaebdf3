#include "admin/checklist_import.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

#include "domain/validation.h"
#include "opcat/v1/registry.pb.h"
#include "sync/codec/record_proto.h"

namespace opcat::server::admin {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 10u * 1024 * 1024;
constexpr std::size_t kMaxFiles = 1000;

Status fail(std::string message) {
  return Status::error(StatusCode::kInvalidArgument, std::move(message));
}

Status listFiles(const std::string& path, std::vector<std::filesystem::path>& files) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") {
        found.push_back(entry.path());
      }
    }
    if (ec) return fail(path + ": " + ec.message());
    if (found.empty()) return fail(path + ": no .json files in this folder");
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  } else if (std::filesystem::is_regular_file(path, ec)) {
    files.emplace_back(path);
  } else {
    return fail(path + ": no such file or folder");
  }
  if (files.size() > kMaxFiles) return fail("more than " + std::to_string(kMaxFiles) + " files");
  return Status::ok();
}

Result<domain::ChecklistTemplate> readOne(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) return fail(name + ": " + ec.message());
  if (size > kMaxFileBytes) {
    return fail(name + ": " + std::to_string(size) + " bytes, more than the limit of " +
                std::to_string(kMaxFileBytes));
  }
  std::ifstream in(file, std::ios::binary);
  std::string json(static_cast<std::size_t>(size), '\0');
  in.read(json.data(), static_cast<std::streamsize>(size));
  if (!in) return fail(name + ": cannot be read");

  v1::ChecklistTemplate message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field must not vanish silently
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!parsed.ok()) {
    return fail(name +
                ": not an opcat.v1.ChecklistTemplate in JSON: " + std::string(parsed.message()));
  }
  domain::ChecklistTemplate record = codec::fromProto(message);
  const Status valid = domain::validationStatus(domain::validate(record));
  if (!valid) return fail(name + ": " + valid.message());
  return record;
}

int runLoadChecklists(AdminContext& context, const AdminArgs& args) {
  if (args.positionals().empty()) return context.usageError("name at least one file or folder");
  auto checklists = readChecklists(args.positionals());
  if (!checklists) return context.refuse(checklists.status().message() + "; nothing was loaded");

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  std::vector<WriteOutcome> outcomes;
  const Status written = store->write([&](db::StoreSession& session) -> Status {
    auto result = writeChecklists(session, *checklists, context.now());
    if (!result) return result.status();
    outcomes = std::move(result).value();
    return Status::ok();
  });
  if (!written) return context.refuse(written.message() + "; nothing was loaded");

  WriteCounts counts;
  std::ostream& out = context.out();
  for (std::size_t i = 0; i < checklists->size(); ++i) {
    const domain::ChecklistTemplate& t = (*checklists)[i].record;
    const WriteOutcome outcome = outcomes[i];
    counts.add(outcome);
    out << (outcome == WriteOutcome::kCreated   ? "created   "
            : outcome == WriteOutcome::kUpdated ? "updated   "
                                                : "unchanged ")
        << t.id << "  " << t.code << " v" << t.version << ", " << t.questions.size()
        << " questions  (" << std::filesystem::path((*checklists)[i].file).filename().string()
        << ")\n";
  }
  out << "checklist templates: " << counts.total() << " (" << counts.text() << ")\n";
  return kExitOk;
}

}  // namespace

Result<std::vector<LoadedChecklist>> readChecklists(std::span<const std::string> paths) {
  std::vector<std::filesystem::path> files;
  for (const std::string& path : paths) OPCAT_RETURN_IF_ERROR(listFiles(path, files));
  std::vector<LoadedChecklist> checklists;
  std::map<std::string, std::string, std::less<>> fileOfId;
  for (const auto& file : files) {
    auto record = readOne(file);
    if (!record) return record.status();
    const auto [it, inserted] = fileOfId.emplace(record->id, file.string());
    if (!inserted) {
      return fail(file.string() + ": id " + record->id + " is also the id in " + it->second);
    }
    checklists.push_back({std::move(record).value(), file.string()});
  }
  return checklists;
}

Result<std::vector<WriteOutcome>> writeChecklists(db::StoreSession& session,
                                                  const std::vector<LoadedChecklist>& checklists,
                                                  std::int64_t nowMs) {
  std::vector<WriteOutcome> outcomes;
  for (const LoadedChecklist& checklist : checklists) {
    auto outcome = writeOfficeRecord(session, checklist.record, nowMs);
    if (!outcome) {
      return Status::error(outcome.status().code(),
                           checklist.file + ": " + outcome.status().message());
    }
    outcomes.push_back(*outcome);
  }
  return outcomes;
}

AdminCommand loadChecklistsCommand() {
  return AdminCommand{
      "load-checklists",
      "FILE_OR_DIR...",
      "load checklist templates from protobuf JSON files",
      "  FILE_OR_DIR   a template as JSON (opcat.v1.ChecklistTemplate), or a folder whose\n"
      "                *.json files are loaded; the repository's are in "
      "sync-server/data/checklists\n"
      "\n"
      "Templates are validated like any record; a bad file loads nothing. A new version of a\n"
      "checklist is a new template with its own id.\n",
      {},
      true,
      &runLoadChecklists};
}

}  // namespace opcat::server::admin
