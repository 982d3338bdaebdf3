// `opcat-server admin COMMAND --data DIR [options]`: the administration of a data folder from
// the command line (users, monitors and teams, tablets, the registry and checklists, visits,
// the office key, the audit log, demo data). Each command prints what it did; a usage error
// exits 2, a refused operation exits 1 and changes nothing.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace opcat::server::admin {

// Runs the command in `args` (the arguments after `admin`); returns the exit status.
int runAdmin(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
             std::ostream& err);

}  // namespace opcat::server::admin
