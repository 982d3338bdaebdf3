// Monitors, teams and coordinators to and from their opcat.v1 messages.
#include "sync/codec/record_proto.h"

namespace opcat::codec {

v1::Monitor toProto(const domain::Monitor& record) {
  v1::Monitor p;
  p.set_id(record.id);
  p.set_full_name(record.fullName);
  p.set_organisation(record.organisation);
  p.set_profession(record.profession);
  for (domain::Language language : record.languages) {
    p.add_languages(static_cast<v1::Language>(language));
  }
  p.set_email(record.email);
  p.set_phone(record.phone);
  p.set_active(record.active);
  return p;
}

domain::Monitor fromProto(const v1::Monitor& record) {
  domain::Monitor d;
  d.id = record.id();
  d.fullName = record.full_name();
  d.organisation = record.organisation();
  d.profession = record.profession();
  d.languages.reserve(static_cast<std::size_t>(record.languages_size()));
  for (int language : record.languages()) {
    d.languages.push_back(static_cast<domain::Language>(language));
  }
  d.email = record.email();
  d.phone = record.phone();
  d.active = record.active();
  return d;
}

v1::Team toProto(const domain::Team& record) {
  v1::Team p;
  p.set_id(record.id);
  p.set_name(record.name);
  p.set_region_id(record.regionId);
  for (const domain::TeamMember& member : record.members) {
    v1::TeamMember* m = p.add_members();
    m->set_monitor_id(member.monitorId);
    m->set_role(static_cast<v1::TeamRole>(member.role));
  }
  return p;
}

domain::Team fromProto(const v1::Team& record) {
  domain::Team d;
  d.id = record.id();
  d.name = record.name();
  d.regionId = record.region_id();
  d.members.reserve(static_cast<std::size_t>(record.members_size()));
  for (const v1::TeamMember& member : record.members()) {
    d.members.push_back(
        domain::TeamMember{member.monitor_id(), static_cast<domain::TeamRole>(member.role())});
  }
  return d;
}

v1::Coordinator toProto(const domain::Coordinator& record) {
  v1::Coordinator p;
  p.set_id(record.id);
  p.set_full_name(record.fullName);
  p.set_email(record.email);
  p.mutable_region_ids()->Add(record.regionIds.begin(), record.regionIds.end());
  p.set_active(record.active);
  return p;
}

domain::Coordinator fromProto(const v1::Coordinator& record) {
  domain::Coordinator d;
  d.id = record.id();
  d.fullName = record.full_name();
  d.email = record.email();
  d.regionIds.assign(record.region_ids().begin(), record.region_ids().end());
  d.active = record.active();
  return d;
}

}  // namespace opcat::codec
