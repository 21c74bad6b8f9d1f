/* SPDX-License-Identifier: MIT */
/*
 * topology_int.h - the topology API for the library's own sources and
 * tests; the declarations are public, in include/splat/topology.h.
 */
#ifndef SPLAT_TOPOLOGY_INT_H
#define SPLAT_TOPOLOGY_INT_H

#include "splat/topology.h"

#endif
