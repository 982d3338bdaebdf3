// The value types shared by several records: LocalizedText and PlaceInFacility. Records set
// these submessages only when they hold something, so an empty value is an absent field.
#include "sync/codec/record_proto.h"

namespace opcat::codec {

v1::LocalizedText toProto(const domain::LocalizedText& text) {
  v1::LocalizedText p;
  p.set_kk(text.kk);
  p.set_ru(text.ru);
  p.set_en(text.en);
  return p;
}

domain::LocalizedText fromProto(const v1::LocalizedText& text) {
  return domain::LocalizedText{text.kk(), text.ru(), text.en()};
}

v1::PlaceInFacility toProto(const domain::PlaceInFacility& place) {
  v1::PlaceInFacility p;
  p.set_building(place.building);
  p.set_unit(place.unit);
  p.set_room(place.room);
  return p;
}

domain::PlaceInFacility fromProto(const v1::PlaceInFacility& place) {
  return domain::PlaceInFacility{place.building(), place.unit(), place.room()};
}

}  // namespace opcat::codec
