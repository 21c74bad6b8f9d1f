# The habits that keep the C code changeable (issue 15): formatting with the
# committed .clang-format and no new function over 100 lines, checked by
# tests/check-style as part of `make test`.  `make format` applies the
# format; tests/check-style --update-list rewrites tests/long-functions.txt
# after a long function got shorter.
APT_DEPS += clang-format pmccabe
TESTS += tests/check-style

.PHONY: format
format: ## format every C file with .clang-format (fixtures and the kernel module aside)
	@git ls-files '*.c' '*.h' | grep -v -e '^tests/vm/lockmodel/' -e '/fixtures/' | \
		xargs clang-format -i --style=file
