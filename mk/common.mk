# Shared compiler settings for the project's C code.
#
# One source tree, several build variants, each in its own directory:
#   make                               -> build/host      (native, -O2)
#   make SAN=1                         -> build/san       (ASan + UBSan)
#   make CROSS_COMPILE=aarch64-linux-gnu- -> build/aarch64 (the tablet's arch)
# `make test` builds and runs the host, sanitizer and aarch64 (under qemu-user)
# variants through recursive make calls with these variables.

CROSS_COMPILE ?=
SAN ?= 0
CC := $(CROSS_COMPILE)gcc
TARGET_ARCH_NAME := $(if $(CROSS_COMPILE),$(patsubst %-linux-gnu-,%,$(CROSS_COMPILE)),host)

ifeq ($(SAN),1)
B ?= build/san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT_FLAGS := -O1 -g
else
B ?= build/$(TARGET_ARCH_NAME)
SAN_FLAGS :=
OPT_FLAGS := -O2 -g
endif

# The tablet is arm64 where plain `char` is unsigned: keep the host honest
# about it too by never relying on char signedness (-Wchar-subscripts).
WARN_FLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wchar-subscripts -Wvla
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT_FLAGS) $(WARN_FLAGS) $(SAN_FLAGS) \
	-MMD -MP
BASE_LDFLAGS := $(SAN_FLAGS)

# Libraries come from Debian -dev packages; for a cross build the multiarch
# (:arm64) packages provide headers and libraries, found through pkg-config's
# multiarch directory.
ifneq ($(CROSS_COMPILE),)
PKG_CONFIG ?= env PKG_CONFIG_LIBDIR=/usr/lib/$(patsubst %-,%,$(CROSS_COMPILE))/pkgconfig:/usr/share/pkgconfig pkg-config
else
PKG_CONFIG ?= pkg-config
endif

# Run a target binary: natively, or under qemu-user for a cross build.
ifneq ($(CROSS_COMPILE),)
RUN_TARGET := qemu-$(TARGET_ARCH_NAME) -L /usr/$(patsubst %-,%,$(CROSS_COMPILE))
else
RUN_TARGET :=
endif

APT_DEPS += build-essential pkg-config libjson-c-dev libcmocka-dev libsystemd-dev
