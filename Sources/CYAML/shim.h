#ifndef CRUDDUR_CYAML_SHIM_H
#define CRUDDUR_CYAML_SHIM_H
#include <yaml.h>
#endif
