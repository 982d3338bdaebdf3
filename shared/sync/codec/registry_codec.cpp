// Registry records to and from their opcat.v1 messages.
#include "sync/codec/record_proto.h"

namespace opcat::codec {
namespace {

v1::PopulationSnapshot toProto(const domain::PopulationSnapshot& s) {
  v1::PopulationSnapshot p;
  p.set_recorded_at_ms(s.recordedAtMs);
  p.set_total(s.total);
  p.set_men(s.men);
  p.set_women(s.women);
  p.set_minors(s.minors);
  p.set_foreigners(s.foreigners);
  p.set_persons_with_disabilities(s.personsWithDisabilities);
  p.set_source(s.source);
  return p;
}

domain::PopulationSnapshot fromProto(const v1::PopulationSnapshot& p) {
  domain::PopulationSnapshot s;
  s.recordedAtMs = p.recorded_at_ms();
  s.total = p.total();
  s.men = p.men();
  s.women = p.women();
  s.minors = p.minors();
  s.foreigners = p.foreigners();
  s.personsWithDisabilities = p.persons_with_disabilities();
  s.source = p.source();
  return s;
}

v1::Question toProto(const domain::Question& q) {
  v1::Question p;
  p.set_id(q.id);
  p.set_code(q.code);
  p.set_area(static_cast<v1::ThematicArea>(q.area));
  p.mutable_standards()->Add(q.standards.begin(), q.standards.end());
  p.set_answer_type(static_cast<v1::AnswerType>(q.answerType));
  if (!q.text.empty()) *p.mutable_text() = codec::toProto(q.text);
  for (const domain::AnswerOption& option : q.options) {
    v1::AnswerOption* o = p.add_options();
    o->set_code(option.code);
    if (!option.label.empty()) *o->mutable_label() = codec::toProto(option.label);
  }
  if (!q.guidance.empty()) *p.mutable_guidance() = codec::toProto(q.guidance);
  p.set_required(q.required);
  return p;
}

domain::Question fromProto(const v1::Question& p) {
  domain::Question q;
  q.id = p.id();
  q.code = p.code();
  q.area = static_cast<domain::ThematicArea>(p.area());
  q.standards.assign(p.standards().begin(), p.standards().end());
  q.answerType = static_cast<domain::AnswerType>(p.answer_type());
  q.text = codec::fromProto(p.text());
  q.options.reserve(static_cast<std::size_t>(p.options_size()));
  for (const v1::AnswerOption& o : p.options()) {
    q.options.push_back(domain::AnswerOption{o.code(), codec::fromProto(o.label())});
  }
  q.guidance = codec::fromProto(p.guidance());
  q.required = p.required();
  return q;
}

}  // namespace

v1::Region toProto(const domain::Region& record) {
  v1::Region p;
  p.set_id(record.id);
  p.set_iso_code(record.isoCode);
  if (!record.name.empty()) *p.mutable_name() = toProto(record.name);
  return p;
}

domain::Region fromProto(const v1::Region& record) {
  return domain::Region{record.id(), record.iso_code(), fromProto(record.name())};
}

v1::Authority toProto(const domain::Authority& record) {
  v1::Authority p;
  p.set_id(record.id);
  p.set_code(record.code);
  if (!record.name.empty()) *p.mutable_name() = toProto(record.name);
  return p;
}

domain::Authority fromProto(const v1::Authority& record) {
  return domain::Authority{record.id(), record.code(), fromProto(record.name())};
}

v1::Institution toProto(const domain::Institution& record) {
  v1::Institution p;
  p.set_id(record.id);
  if (!record.name.empty()) *p.mutable_name() = toProto(record.name);
  p.set_category(static_cast<v1::InstitutionCategory>(record.category));
  p.set_authority_id(record.authorityId);
  p.set_region_id(record.regionId);
  p.set_address(record.address);
  p.set_capacity(record.capacity);
  for (const domain::PopulationSnapshot& snapshot : record.population) {
    *p.add_population() = toProto(snapshot);
  }
  p.set_active(record.active);
  return p;
}

domain::Institution fromProto(const v1::Institution& record) {
  domain::Institution d;
  d.id = record.id();
  d.name = fromProto(record.name());
  d.category = static_cast<domain::InstitutionCategory>(record.category());
  d.authorityId = record.authority_id();
  d.regionId = record.region_id();
  d.address = record.address();
  d.capacity = record.capacity();
  d.population.reserve(static_cast<std::size_t>(record.population_size()));
  for (const v1::PopulationSnapshot& snapshot : record.population()) {
    d.population.push_back(fromProto(snapshot));
  }
  d.active = record.active();
  return d;
}

v1::ChecklistTemplate toProto(const domain::ChecklistTemplate& record) {
  v1::ChecklistTemplate p;
  p.set_id(record.id);
  p.set_code(record.code);
  p.set_version(record.version);
  p.set_category(static_cast<v1::InstitutionCategory>(record.category));
  if (!record.title.empty()) *p.mutable_title() = toProto(record.title);
  for (const domain::Question& question : record.questions) {
    *p.add_questions() = toProto(question);
  }
  p.set_active(record.active);
  return p;
}

domain::ChecklistTemplate fromProto(const v1::ChecklistTemplate& record) {
  domain::ChecklistTemplate d;
  d.id = record.id();
  d.code = record.code();
  d.version = record.version();
  d.category = static_cast<domain::InstitutionCategory>(record.category());
  d.title = fromProto(record.title());
  d.questions.reserve(static_cast<std::size_t>(record.questions_size()));
  for (const v1::Question& question : record.questions()) {
    d.questions.push_back(fromProto(question));
  }
  d.active = record.active();
  return d;
}

}  // namespace opcat::codec
