// The json-c headers clifford uses, in one place for the module map.
#include <json-c/json.h>
#include <json-c/printbuf.h>
