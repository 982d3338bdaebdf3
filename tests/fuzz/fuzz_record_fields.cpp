// libFuzzer target: the generic field layer (codec::splitFields, diffFields, applyFields,
// oneofSiblings) with arbitrary bytes and record kinds, in the format of record_fields_input.h.
//
// Besides the sanitizers, it aborts when the layer's promises break, with canon(x) being
// applyFields(kind, x, {}) (parsed, unknown fields dropped, deterministically serialized):
// - split: applying splitFields(x) to an empty record gives canon(x);
// - diff: applying diffFields(a, b) to a gives canon(b);
// - apply: a successful result splits again and is its own canon.
#include <google/protobuf/stubs/logging.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "record_fields_input.h"
#include "sync/codec/record_fields.h"

namespace {

using namespace opcat;

[[noreturn]] void fail(const fuzz::RecordFieldsInput& input, const std::string& what) {
  std::fprintf(stderr, "fuzz_record_fields: kind %d: %s\n", static_cast<int>(input.kind),
               what.c_str());
  std::abort();
}

Result<std::string> canon(domain::RecordKind kind, std::string_view bytes) {
  return codec::applyFields(kind, bytes, {});
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);  // parse failures are expected, not news
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::RecordFieldsInput input =
      fuzz::readRecordFieldsInput(std::string_view(reinterpret_cast<const char*>(data), size));
  const domain::RecordKind kind = input.kind;

  if (auto split = codec::splitFields(kind, input.before)) {
    auto rebuilt = codec::applyFields(kind, "", *split);
    if (!rebuilt) fail(input, "its own fields do not apply: " + rebuilt.status().toString());
    auto canonical = canon(kind, input.before);
    if (!canonical) fail(input, "splits but does not parse: " + canonical.status().toString());
    if (*rebuilt != *canonical) fail(input, "split fields do not rebuild the record");
  }

  if (auto diff = codec::diffFields(kind, input.before, input.after)) {
    auto edited = codec::applyFields(kind, input.before, *diff);
    if (!edited) fail(input, "a diff does not apply: " + edited.status().toString());
    auto canonical = canon(kind, input.after);
    if (!canonical) fail(input, "diffs but does not parse: " + canonical.status().toString());
    if (*edited != *canonical) fail(input, "applying a diff does not give the record after");
  }

  if (auto applied = codec::applyFields(kind, input.before, input.fields)) {
    if (!codec::splitFields(kind, *applied)) fail(input, "an applied record does not split");
    auto again = canon(kind, *applied);
    if (!again || *again != *applied) fail(input, "an applied record is not canonical");
  }

  for (const sync::FieldValue& field : input.fields) {
    static_cast<void>(codec::oneofSiblings(kind, field.number));
  }
  return 0;
}
