// Small helpers shared by the benchmark programs: timing, percentiles, process memory and CPU,
// generated text, command-line flags.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace opcat::bench {

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The p-th percentile (0–100) by nearest rank. REQUIRES: samples not empty.
inline double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  const auto rank =
      static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples.size() - 1) + 0.5);
  return samples[std::min(rank, samples.size() - 1)];
}

// A field of /proc/PID/status in MiB, e.g. "VmHWM" (peak resident memory) or "VmRSS"; -1 when
// the process or the field is missing. Without a pid: this process.
inline double procStatusMiB(const std::string& field, pid_t pid = 0) {
  std::ifstream in(pid > 0 ? "/proc/" + std::to_string(pid) + "/status" : "/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == field + ":") {
      double kb = 0;
      in >> kb;
      return kb / 1024.0;
    }
    in.ignore(1 << 12, '\n');
  }
  return -1;
}

// User + system CPU seconds `pid` has used so far (fields 14 and 15 of /proc/PID/stat); -1 when
// it cannot be read.
inline double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const std::size_t close = text.rfind(')');  // the command name may contain spaces
  if (close == std::string::npos) return -1;
  std::vector<std::string> fields;
  std::string field;
  for (std::size_t i = close + 2; i < text.size(); ++i) {
    if (text[i] == ' ') {
      fields.push_back(field);
      field.clear();
    } else {
      field += text[i];
    }
  }
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
  if (fields.size() < 13) return -1;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
}

// Mixed Russian and English text of exactly `chars` code points, words from a monitoring
// vocabulary; about half the letters are Cyrillic (2 bytes each in UTF-8). Deterministic for a
// given generator state.
inline std::string mixedText(std::mt19937& rng, std::size_t chars) {
  static constexpr std::array<std::string_view, 30> kRussian = {
      "осмотр",     "камера",     "задержанный", "условия",      "нарушение", "журнал",
      "учёта",      "вентиляция", "освещение",   "питание",      "прогулка",  "медицинский",
      "персонал",   "изолятор",   "проверка",    "заявление",    "адвокат",   "режим",
      "санитарное", "состояние",  "жалоба",      "документация", "выявлено",  "необходимо",
      "устранить",  "срок",       "отсутствует", "недостаточно", "контроль",  "температура"};
  static constexpr std::array<std::string_view, 30> kEnglish = {
      "inspection", "cell",    "detainee", "conditions", "register",  "ventilation",
      "lighting",   "food",    "exercise", "medical",    "staff",     "interview",
      "complaint",  "lawyer",  "access",   "record",     "missing",   "incomplete",
      "window",     "blanket", "mattress", "toilet",     "privacy",   "delay",
      "injury",     "visit",   "signed",   "pending",    "follow-up", "temperature"};
  std::uniform_int_distribution<std::size_t> pick(0, kRussian.size() - 1);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::string text;
  std::size_t count = 0;
  while (count < chars) {
    std::string_view word = coin(rng) < 0.5 ? kRussian[pick(rng)] : kEnglish[pick(rng)];
    std::string piece = count == 0 ? std::string() : (coin(rng) < 0.12 ? ". " : " ");
    piece += word;
    for (std::size_t i = 0; i < piece.size() && count < chars; ++i) {  // one code point a turn
      const std::size_t start = i;
      while (i + 1 < piece.size() && (static_cast<unsigned char>(piece[i + 1]) & 0xC0) == 0x80) ++i;
      text.append(piece, start, i - start + 1);
      ++count;
    }
  }
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

// The setter of one "--name value" flag: converts the value (std::stoi and the like may throw)
// and stores it into `target`.
using FlagSetter = std::function<void(const std::string&)>;
template <typename T>
FlagSetter into(T& target) {
  return [&target](const std::string& value) {
    if constexpr (std::is_same_v<T, int>) {
      target = std::stoi(value);
    } else if constexpr (std::is_same_v<T, unsigned>) {
      target = static_cast<unsigned>(std::stoul(value));
    } else {
      target = value;
    }
  };
}

// Reads "--name value" pairs into the setters registered by name. False on an unknown name, a
// missing value or a value that does not convert: the caller then prints its usage line.
inline bool parseFlags(int argc, char** argv, const std::map<std::string, FlagSetter>& setters) {
  for (int i = 1; i < argc; i += 2) {
    const auto setter = setters.find(argv[i]);
    if (setter == setters.end() || i + 1 >= argc) return false;
    try {
      setter->second(argv[i + 1]);
    } catch (const std::exception&) {
      return false;
    }
  }
  return true;
}

}  // namespace opcat::bench
