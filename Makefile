# consent - see README.md. `make run` and `make test` do all the set-up.
.SUFFIXES:
SHELL = /bin/sh

CC ?= gcc
PKGS = libmicrohttpd jansson libsodium sqlite3 libpq
OPT ?= -O2
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wcast-qual -Wformat=2
CFLAGS_ALL = -std=c17 -D_POSIX_C_SOURCE=200809L $(WARN) -fstack-protector-strong \
	     -g $(OPT) -Isrc $(EXTRA_CFLAGS)
B ?= build
SAN ?=
ifeq ($(SAN),1)
B = build-asan
OPT = -O1 -fno-omit-frame-pointer
EXTRA_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined
EXTRA_LDFLAGS += -fsanitize=address,undefined
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS = $(PKG_LIBS) -lcsv -lm -lpthread

SRC := $(shell find src -name '*.c' ! -path src/main.c | sort)
OBJ := $(SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/embedded.o
EMBED := $(shell find templates static po src/store/migrations -type f 2>/dev/null | sort)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

DB ?= sqlite:consent.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all run test test-unit test-api test-web test-pg bench format clean deps asan

all: deps $(B)/consent

deps:
	@scripts/deps

$(B)/consent: $(B)/obj/main.o $(B)/libconsent.a
	$(CC) $(EXTRA_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/libconsent.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O1 -o $@ $<

$(B)/gen/embedded.c: $(B)/tools/embed $(EMBED)
	@mkdir -p $(dir $@)
	$(B)/tools/embed $@ $(EMBED)

$(B)/obj/embedded.o: $(B)/gen/embedded.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -Isrc -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libconsent.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(PKG_CFLAGS) -Wno-missing-prototypes -o $@ $< $(B)/libconsent.a \
		$(EXTRA_LDFLAGS) -lcmocka $(LIBS)

# The libical checker used by tests/lib/icalcheck.py (iCalendar round trip).
$(B)/tests/ical_roundtrip: tests/tools/ical_roundtrip.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags libical) -o $@ $< $(shell pkg-config --libs libical)

run: all
	./$(B)/consent init --db $(DB)
	@./$(B)/consent demo --db $(DB) --if-empty
	./$(B)/consent serve --db $(DB) --listen $(LISTEN)

# Every test: unit, API and browser on SQLite; unit and API again under
# ASan+UBSan; the API tests once more against a throwaway PostgreSQL.
test: all
	@scripts/test

test-unit: all $(UNIT_BIN)
	@scripts/run-unit $(B)

asan:
	$(MAKE) SAN=1 $(B)/consent $(UNIT_BIN)

bench: all
	@scripts/deps --bench
	@bench/run

format:
	clang-format -i $$(find src tests/unit tools -name '*.[ch]')

clean:
	rm -rf build build-asan

-include $(OBJ:.o=.d) $(B)/obj/main.d
